import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { formAction, formKey, formObject, loadOr404 } from '$lib/server/http';

/** The member's direct conversations, latest first, with unread badges. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    ...(await event.locals.app.chat.listDirect(event.locals.actor, { before: event.url.searchParams.get('before') ?? undefined })),
    formKey: formKey(),
  }));

export const actions: Actions = {
  /** Opens (or finds) the conversation with the members named by handle. */
  start: async (event) => {
    const f = await formObject(event.request);
    const res = await formAction(event, () => event.locals.app.chat.openDirect(event.locals.actor, f), { handles: f.handles, title: f.title });
    if (res && 'roomId' in res) redirect(303, `/messages/${res.roomId}`);
    return res;
  },
};
