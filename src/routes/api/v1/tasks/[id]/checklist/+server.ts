import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Adds checklist lines: `{ items: [...] }` or `{ text }` (one per line), with an optional `assigneeId`, `dueDate`, `dueTime`. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.addChecklist(event.locals.actor, { ...((await jsonBody(event)) as object), taskId: event.params.id }), 201);
