import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** A member's public profile (members only). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.accounts.publicProfile(event.locals.actor, { handle: event.params.handle }));
