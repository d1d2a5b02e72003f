import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Marks everything in a group `{ groupSlug }` as read. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.discussions.markAllRead(event.locals.actor, await jsonBody(event)));
