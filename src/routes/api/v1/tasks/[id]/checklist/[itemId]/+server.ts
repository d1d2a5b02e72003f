import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** PATCH: tick, rename, assign or date a line. DELETE: remove it. */
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.editChecklist(event.locals.actor, { ...((await jsonBody(event)) as object), taskId: event.params.id, itemId: event.params.itemId }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.tasks.removeChecklist(event.locals.actor, { taskId: event.params.id, itemId: event.params.itemId }));
