import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: your devices that ring, and the server's public key. POST: turn notifications on for a device (its push subscription). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.push.devices(event.locals.actor));
export const POST: RequestHandler = (event) =>
  api(event, async () => event.locals.app.push.subscribe(event.locals.actor, await jsonBody(event), { userAgent: event.request.headers.get('user-agent') ?? '' }), 201);
