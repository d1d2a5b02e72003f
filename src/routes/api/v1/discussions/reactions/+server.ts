import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Toggles the caller's reaction `{ targetId, emoji }` on a discussion or reply. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.discussions.react(event.locals.actor, await jsonBody(event)));
