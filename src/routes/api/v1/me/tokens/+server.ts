import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

export const GET: RequestHandler = (event) => api(event, async () => ({ items: await event.locals.app.accounts.listTokens(event.locals.actor) }));

/** Creates a personal access token; `token` is in this response only. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.accounts.createToken(event.locals.actor, await jsonBody(event)), 201);
