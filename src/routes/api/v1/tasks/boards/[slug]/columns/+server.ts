import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Adds a column (group admins): `{ name }`. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.tasks.addColumn(event.locals.actor, { ...((await jsonBody(event)) as object), groupSlug: event.params.slug }), 201);
