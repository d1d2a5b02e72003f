import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** `{ "on": true }` locks, `{ "on": false }` unlocks (moderators). */
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.discussions.setLocked(event.locals.actor, { ...((await jsonBody(event)) as object), discussionId: event.params.id }));
