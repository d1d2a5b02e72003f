import type { Actions, PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';
import { chatActions, formKey, menuOf, windowOf } from '../../../messages/chat-actions';

/** A group's chat: the last messages server-rendered (readable without JavaScript), live with it. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const chat = await event.locals.app.chat.groupChat(event.locals.actor, { slug: event.params.slug }, windowOf(event.url));
    // Tasks made from these messages (chips with their live status), and "Make a task from this".
    const tasks = chat.room.group ? await event.locals.app.tasks.fromItems(event.locals.actor, { groupId: chat.room.group.id, originIds: chat.messages.map((m) => m.id) }) : null;
    return { chat, tasks, menu: await menuOf(event, chat.room.id), formKey: formKey(event), replyId: event.url.searchParams.get('reply') };
  });

export const actions: Actions = chatActions;
