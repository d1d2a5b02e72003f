import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Adds an external resource `{ title, url }`. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.groups.addLink(event.locals.actor, event.params.slug, await jsonBody(event)), 201);
