import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET: a poll with its answers as far as you may see them. DELETE: removes it (its author or a group admin). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.decide.poll(event.locals.actor, { pollId: event.params.id }));
export const DELETE: RequestHandler = (event) => api(event, () => event.locals.app.decide.remove(event.locals.actor, { pollId: event.params.id }));
