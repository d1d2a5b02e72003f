import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** `{ "on": true }` pins, `{ "on": false }` unpins (moderators). */
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.discussions.setPinned(event.locals.actor, { ...((await jsonBody(event)) as object), discussionId: event.params.id }));
