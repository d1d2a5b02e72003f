import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET: the member's chats with unread messages (group chats and direct conversations) and their total. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.chat.unreadChats(event.locals.actor));
