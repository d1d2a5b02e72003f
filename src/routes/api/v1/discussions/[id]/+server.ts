import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

export const GET: RequestHandler = (event) => api(event, () => event.locals.app.discussions.get(event.locals.actor, { discussionId: event.params.id }));
export const PATCH: RequestHandler = (event) =>
  api(event, async () => event.locals.app.discussions.edit(event.locals.actor, { ...((await jsonBody(event)) as object), discussionId: event.params.id }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.discussions.remove(event.locals.actor, { discussionId: event.params.id }));
