import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** POST { title }: makes a discussion in the group from a chat message. */
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.chat.toDiscussion(event.locals.actor, { ...((await jsonBody(event)) as object), messageId: event.params.id }), 201);
