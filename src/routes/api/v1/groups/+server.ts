import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** The tree of groups the caller may see. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.groups.tree(event.locals.actor));
/** Creates a group, or a working group with `parent`. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.groups.create(event.locals.actor, await jsonBody(event)), 201);
