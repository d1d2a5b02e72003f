import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formObject, loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams;
  return { inbox: await loadOr404(event, () => event.locals.app.notifications.inbox(event.locals.actor, { before: q.get('before') ?? undefined, unread: q.get('unread') ?? undefined })) };
};

/** Back to the same view of the inbox (a path of ours, never a value from the request). */
const back = (url: URL) => (url.searchParams.get('unread') === '1' ? '/inbox?unread=1' : '/inbox');

export const actions: Actions = {
  /** Marks every notification read. */
  all: async (event) => {
    const res = await formAction(event, () => event.locals.app.notifications.markRead(event.locals.actor, { all: true }));
    if (res && 'status' in res) return res;
    redirect(303, back(event.url));
  },
  /** Marks one line (everything about one discussion, room or request) read. */
  read: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.notifications.markRead(event.locals.actor, { subjectId: typeof f.subjectId === 'string' ? f.subjectId : '' }));
    if (res && 'status' in res) return res;
    redirect(303, back(event.url));
  },
};
