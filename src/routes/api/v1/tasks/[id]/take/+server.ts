import type { RequestHandler } from './$types';
import { tapBody, taskApi } from '../../conflict';

/** "I'll take it": become the assignee of an unassigned task (`{ key }` or `Idempotency-Key`: a repeat changes nothing). */
export const POST: RequestHandler = (event) => taskApi(event, event.params.id, async () => event.locals.app.tasks.take(event.locals.actor, { ...(await tapBody(event)), taskId: event.params.id }));
