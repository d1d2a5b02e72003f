import type { RequestHandler } from './$types';
import { tapBody, taskApi } from '../../conflict';

/** Marks the task done (to the top of the done column); `{ key }` or `Idempotency-Key`: a repeat changes nothing. */
export const POST: RequestHandler = (event) => taskApi(event, event.params.id, async () => event.locals.app.tasks.complete(event.locals.actor, { ...(await tapBody(event)), taskId: event.params.id }));
