import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** PUT `{ groupSlug, level }`: your level for one group ('default' follows your general setting). */
export const PUT: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.email.saveGroupLevel(event.locals.actor, await jsonBody(event));
    return event.locals.app.email.settings(event.locals.actor);
  });
