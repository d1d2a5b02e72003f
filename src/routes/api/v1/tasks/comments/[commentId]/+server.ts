import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Deletes a task comment (its author or a group admin). */
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.tasks.removeComment(event.locals.actor, { commentId: event.params.commentId }));
