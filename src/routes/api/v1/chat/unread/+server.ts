import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';
import { unauthenticated } from '$lib/server/kernel/errors';

/** GET: the member's chats with unread messages (group chats and direct conversations) and their total. */
export const GET: RequestHandler = (event) => api(event, async () => (event.locals.user ? event.locals.app.chat.unreadChats(event.locals.actor) : unauthenticated()));
