import type { Actions, PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';
import { chatActions, formKey, menuOf, windowOf } from '../chat-actions';

/** One direct conversation (participants only: anyone else gets "not found"). */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const chat = await event.locals.app.chat.roomPage(event.locals.actor, { roomId: event.params.id, ...windowOf(event.url) });
    return { chat, menu: await menuOf(event, chat.room.id), formKey: formKey(event), replyId: event.url.searchParams.get('reply') };
  });

export const actions: Actions = chatActions;
