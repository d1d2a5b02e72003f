import type { RequestHandler } from './$types';
import { jsonBody } from '$lib/server/http';
import { taskApi } from '../../conflict';

/** Moves the card: `{ columnId, position, version }` (position 0 = top; "first" / "last"). */
export const POST: RequestHandler = (event) => taskApi(event, event.params.id, async () => event.locals.app.tasks.move(event.locals.actor, { ...((await jsonBody(event)) as object), taskId: event.params.id }));
