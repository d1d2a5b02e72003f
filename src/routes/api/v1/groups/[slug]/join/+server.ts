import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Joins an open group. */
export const POST: RequestHandler = (event) => api(event, () => event.locals.app.groups.join(event.locals.actor, event.params.slug));
