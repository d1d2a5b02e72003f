import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** POST { seq }: moves the member's read cursor forward. */
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.chat.markRead(event.locals.actor, { ...((await jsonBody(event)) as object), roomId: event.params.id }));
