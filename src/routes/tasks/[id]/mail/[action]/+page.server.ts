import type { Actions, PageServerLoad } from './$types';
import { formAction, loadOr404 } from '$lib/server/http';

/**
 * "Mark as done" / "I'll take it" from a mail: the link names its member, the task and the
 * action. GET only asks (mail scanners open links); the button POSTs, once, as that member.
 */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    info: await event.locals.app.tasks.mailActions.info(event.locals.actor, { taskId: event.params.id, action: event.params.action, token: event.url.searchParams.get('t') ?? '' }),
  }));

export const actions: Actions = {
  default: async (event) =>
    formAction(event, async () => ({
      acted: await event.locals.app.tasks.mailActions.perform(event.locals.actor, { taskId: event.params.id, action: event.params.action, token: event.url.searchParams.get('t') ?? '' }),
      ok: event.locals.t(event.params.action === 'done' ? 'tasks.marked_done' : 'tasks.taken'),
    })),
};
