import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** PATCH `{ name }`: rename one of your devices. DELETE: it rings no more. */
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.push.rename(event.locals.actor, { ...((await jsonBody(event)) as object), id: event.params.id }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.push.remove(event.locals.actor, { id: event.params.id }));
