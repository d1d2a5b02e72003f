import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** The task's history: who changed what, when. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.tasks.activity(event.locals.actor, { taskId: event.params.id }));
