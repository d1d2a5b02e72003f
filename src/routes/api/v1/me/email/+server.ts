import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: your email settings (default level, digest time, per-group levels). PUT: change the default level and digest time. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.email.settings(event.locals.actor));
export const PUT: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.email.saveSettings(event.locals.actor, await jsonBody(event));
    return event.locals.app.email.settings(event.locals.actor);
  });
