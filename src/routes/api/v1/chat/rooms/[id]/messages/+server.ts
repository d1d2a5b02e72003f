import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET ?before=&after=&limit=: messages by keyset on seq (older ones on scroll up). */
export const GET: RequestHandler = (event) =>
  api(event, () => event.locals.app.chat.history(event.locals.actor, { ...Object.fromEntries(event.url.searchParams), roomId: event.params.id }));

/** POST { key, body, parentId? }: posts a message; a resend with the same key returns the first one. */
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.chat.send(event.locals.actor, { ...((await jsonBody(event)) as object), roomId: event.params.id }), 201);
