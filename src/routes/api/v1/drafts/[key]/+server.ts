import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** The caller's draft for 'discussion:<groupId>' or 'comment:<discussionId>'. */
export const GET: RequestHandler = (event) => api(event, async () => ({ draft: await event.locals.app.discussions.getDraft(event.locals.actor, event.params.key) }));
export const PUT: RequestHandler = (event) =>
  api(event, async () => ({ draft: await event.locals.app.discussions.saveDraft(event.locals.actor, { ...((await jsonBody(event)) as object), key: event.params.key }) }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.discussions.deleteDraft(event.locals.actor, event.params.key));
