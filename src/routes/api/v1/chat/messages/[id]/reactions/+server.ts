import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** POST { emoji, on }: adds (on: true) or removes one's reaction. */
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.chat.react(event.locals.actor, { ...((await jsonBody(event)) as object), messageId: event.params.id }));
