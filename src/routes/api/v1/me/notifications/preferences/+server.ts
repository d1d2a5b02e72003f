import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: your choice for every reason and channel, and quiet hours. PUT: change any of them. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.notifications.preferences(event.locals.actor));
export const PUT: RequestHandler = (event) => api(event, async () => event.locals.app.notifications.savePreferences(event.locals.actor, await jsonBody(event)));
