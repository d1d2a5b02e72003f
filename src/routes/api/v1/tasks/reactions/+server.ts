import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Toggles a reaction on a task comment: `{ targetId, emoji }`. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.react(event.locals.actor, await jsonBody(event)));
