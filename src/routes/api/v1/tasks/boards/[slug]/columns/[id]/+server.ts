import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** PATCH: rename (`name`), move (`direction`: left | right) or make it the done column (`done: true`). DELETE: remove an empty column. */
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.editColumn(event.locals.actor, { ...((await jsonBody(event)) as object), groupSlug: event.params.slug, columnId: event.params.id }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.tasks.removeColumn(event.locals.actor, { groupSlug: event.params.slug, columnId: event.params.id }));
