import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** The signed-in member's own profile. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.accounts.me(event.locals.actor));

/** Changes any of name, handle, locale, timeZone, bio. */
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.accounts.updateProfile(event.locals.actor, await jsonBody(event)));
