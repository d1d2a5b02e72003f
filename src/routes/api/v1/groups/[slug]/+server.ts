import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** A group's page data (404 when hidden). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.groups.overview(event.locals.actor, event.params.slug));
/** Edits name, slug, description, visibility. */
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.groups.update(event.locals.actor, event.params.slug, await jsonBody(event)));
