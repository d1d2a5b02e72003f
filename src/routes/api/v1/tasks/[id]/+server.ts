import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';
import { taskApi } from '../conflict';

/** GET: the task with its checklist. PATCH: change fields, with the `version` they are based on. DELETE: delete it. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.tasks.get(event.locals.actor, { taskId: event.params.id }));
export const PATCH: RequestHandler = (event) =>
  taskApi(event, event.params.id, async () => {
    await event.locals.app.tasks.edit(event.locals.actor, { ...((await jsonBody(event)) as object), taskId: event.params.id });
    return event.locals.app.tasks.get(event.locals.actor, { taskId: event.params.id });
  });
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.tasks.remove(event.locals.actor, { taskId: event.params.id }));
