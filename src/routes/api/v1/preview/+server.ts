import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Renders `{ body }` markdown exactly as a post would be shown. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.discussions.preview(event.locals.actor, await jsonBody(event)));
