import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Pending requests to join (group admins). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.groups.requests(event.locals.actor, event.params.slug));
/** Asks to join a closed group, with an optional `message`. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.groups.requestJoin(event.locals.actor, event.params.slug, await jsonBody(event)), 201);
