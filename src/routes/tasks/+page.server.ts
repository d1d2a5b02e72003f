import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';
import { safeRedirect } from '$lib/server/kernel/redirect';

/** My tasks, across my groups: overdue first, then by due date and priority; `?done=1` shows done ones too. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    mine: await event.locals.app.tasks.mine(event.locals.actor, { done: event.url.searchParams.get('done') ?? undefined, after: event.url.searchParams.get('after') }),
  }));

export const actions: Actions = {
  /** Marks one of my tasks done, from the list. */
  done: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.tasks.complete(event.locals.actor, { taskId: f.taskId }));
    if (res && 'id' in res) redirect(303, safeRedirect(`/tasks${event.url.searchParams.get('done') ? '?done=1' : ''}`, event.url));
    return res;
  },
};
