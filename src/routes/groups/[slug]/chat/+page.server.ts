import type { Actions, PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';
import { chatActions, formKey, windowOf } from '../../../messages/chat-actions';

/** A group's chat: the last messages server-rendered (readable without JavaScript), live with it. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => ({
    chat: await event.locals.app.chat.groupChat(event.locals.actor, { slug: event.params.slug }, windowOf(event.url)),
    formKey: formKey(),
    replyId: event.url.searchParams.get('reply'),
  }));

export const actions: Actions = chatActions;
