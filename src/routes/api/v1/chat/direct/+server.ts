import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET ?before=: the member's direct conversations, latest first, with unread counts. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.chat.listDirect(event.locals.actor, Object.fromEntries(event.url.searchParams)));

/** POST { handles, title? }: opens (or finds) the conversation with these members. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.chat.openDirect(event.locals.actor, await jsonBody(event)));
