import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

export const GET: RequestHandler = (event) => api(event, () => event.locals.app.discussions.getComment(event.locals.actor, { commentId: event.params.commentId }));
export const PATCH: RequestHandler = (event) =>
  api(event, async () => event.locals.app.discussions.editComment(event.locals.actor, { ...((await jsonBody(event)) as object), commentId: event.params.commentId }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.discussions.removeComment(event.locals.actor, { commentId: event.params.commentId }));
