import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';
import { pollFormInput } from '$lib/server/domain/decide/decide.service';

const KINDS = ['date', 'choice', 'proposal'] as const;
const kindOf = (s: unknown) => (KINDS as readonly unknown[]).includes(s) ? (s as (typeof KINDS)[number]) : 'date';
const rowsOf = (s: unknown) => Math.min(40, Math.max(3, Number(s) || 0));

/** A new date poll, choice poll or proposal (`?kind=`), for the group's members. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.decide.newPollForm(event.locals.actor, { groupSlug: event.params.slug })),
    kind: kindOf(event.url.searchParams.get('kind')),
    rows: rowsOf(event.url.searchParams.get('rows') ?? 5),
    zones: Intl.supportedValuesOf('timeZone'),
    formKey: formKey(event),
  }));

export const actions: Actions = {
  /** Creates the poll and opens it; "more rows" only shows the form again with more rows, keeping what was typed. */
  default: async (event) => {
    const f = await formObject(event.request);
    const kind = kindOf(f.kind);
    if (f.more) return { values: Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === 'string')) as Record<string, string>, rows: rowsOf(Number(f.rows) + 5) };
    const { app, actor } = event.locals;
    const res = await formAction(
      event,
      async () => {
        const input = { ...pollFormInput(f), groupSlug: event.params.slug };
        return kind === 'date' ? app.decide.createDatePoll(actor, input) : kind === 'choice' ? app.decide.createChoicePoll(actor, input) : app.decide.createProposal(actor, input);
      },
      f,
    );
    if (res && 'id' in res) redirect(303, `/polls/${res.id}`);
    return res;
  },
};
