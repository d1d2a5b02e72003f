import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';

const from = (url: URL) => ({ discussionId: url.searchParams.get('discussion') ?? undefined, taskId: url.searchParams.get('task') ?? undefined });

/** "Add to the next meeting's agenda" from a discussion or a task of the group. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({ ...(await event.locals.app.decide.agendaFrom(event.locals.actor, { groupSlug: event.params.slug, ...from(event.url) })), formKey: formKey(event) }));

export const actions: Actions = {
  default: async (event) => {
    const f = await formObject(event.request);
    const [eventId, occurrence = ''] = String(f.meeting ?? '').split('|');
    const res = await formAction(event, () => event.locals.app.decide.addAgendaItem(event.locals.actor, { ...f, ...from(event.url), eventId, occurrence: occurrence || undefined }), f);
    if (res && 'eventId' in res) redirect(303, `/events/${res.eventId}${res.occurrence ? `?occurrence=${encodeURIComponent(res.occurrence)}` : ''}#h-agenda`);
    return res;
  },
};
