import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** A group's board: columns in order with their cards in order. */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.tasks.board(event.locals.actor, { groupSlug: event.params.slug }));
