import type { RequestHandler } from './$types';
import { taskApi } from '../../conflict';

/** Marks the task done (to the top of the done column). */
export const POST: RequestHandler = (event) => taskApi(event, event.params.id, () => event.locals.app.tasks.complete(event.locals.actor, { taskId: event.params.id }));
