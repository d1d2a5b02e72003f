import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';
import { answersFromForm } from '$lib/server/domain/decide/decide.service';

/**
 * A poll's one-click link from a mail: the link names its member, so they answer without
 * logging in. Opening it shows the poll and the answer they picked in the mail (mail
 * scanners follow links: nothing is written on GET); the button answers.
 */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.decide.mail.pollLink({ id: event.params.id, t: event.url.searchParams.get('t') ?? '' })),
    t: event.url.searchParams.get('t') ?? '',
    preselect: { option: event.url.searchParams.get('o'), position: event.url.searchParams.get('p') },
  }));

export const actions: Actions = {
  default: async (event) => {
    const fd = await event.request.formData();
    const f: Record<string, FormDataEntryValue> = {};
    for (const [k, v] of fd) f[k] = v;
    return formAction(
      event,
      async () => {
        await event.locals.app.decide.mail.answerPollLink({ ...f, id: event.params.id, answers: answersFromForm(f), optionIds: fd.getAll('optionIds') });
        return { ok: event.locals.t('decide.mail.thanks'), done: true };
      },
      f,
    );
  },
};
