import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: the discussion with its replies (does not change read marks). POST: reply. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.discussions.thread(event.locals.actor, { discussionId: event.params.id }));
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.discussions.reply(event.locals.actor, { ...((await jsonBody(event)) as object), discussionId: event.params.id }), 201);
