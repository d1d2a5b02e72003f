import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** POST `{ endpoint }`: this browser stops being one of your devices (it unsubscribed). */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.push.unsubscribe(event.locals.actor, await jsonBody(event)));
