import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** POST `{ ids }`, `{ subjectId }` or `{ all: true }`: marks notifications read; answers the new unread count. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.notifications.markRead(event.locals.actor, await jsonBody(event)));
