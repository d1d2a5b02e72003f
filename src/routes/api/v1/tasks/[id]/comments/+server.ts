import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: the task's comments. POST: comment (`{ body, fileIds }`). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.tasks.comments(event.locals.actor, { taskId: event.params.id }));
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.comment(event.locals.actor, { ...((await jsonBody(event)) as object), taskId: event.params.id }), 201);
