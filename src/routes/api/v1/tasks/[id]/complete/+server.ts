import type { RequestHandler } from './$types';
import { jsonBody } from '$lib/server/http';
import { taskApi } from '../../conflict';

/** Marks the task done (to the top of the done column); `{ key }` or `Idempotency-Key`: a repeat changes nothing. */
export const POST: RequestHandler = (event) => taskApi(event, event.params.id, async () => event.locals.app.tasks.complete(event.locals.actor, { ...((await jsonBody(event)) as object), taskId: event.params.id }));
