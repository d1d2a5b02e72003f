import type { RequestHandler } from './$types';
import { taskApi } from '../../conflict';

/** "I'll take it": become the assignee of an unassigned task. */
export const POST: RequestHandler = (event) => taskApi(event, event.params.id, () => event.locals.app.tasks.take(event.locals.actor, { taskId: event.params.id }));
