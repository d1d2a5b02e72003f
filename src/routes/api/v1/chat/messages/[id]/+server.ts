import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** PATCH { body }: edits one's own message. */
export const PATCH: RequestHandler = (event) =>
  api(event, async () => event.locals.app.chat.edit(event.locals.actor, { ...((await jsonBody(event)) as object), messageId: event.params.id }));

/** DELETE: deletes a message (its author, or a group moderator). */
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.chat.remove(event.locals.actor, { messageId: event.params.id }));
