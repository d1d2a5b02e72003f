import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET: the group's labels. POST: add one (members): `{ name, color }`. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.tasks.labels(event.locals.actor, { groupSlug: event.params.slug }));
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.addLabel(event.locals.actor, { ...((await jsonBody(event)) as object), groupSlug: event.params.slug }), 201);
