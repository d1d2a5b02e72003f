import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET ?q=: members whose name or handle contains q, best first (the people picker of a new conversation). */
export const GET: RequestHandler = (event) => api(event, async () => ({ items: await event.locals.app.chat.findPeople(event.locals.actor, Object.fromEntries(event.url.searchParams)) }));
