import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** A meeting: adds an item to its agenda (`{ title, ownerId, durationMin, discussionId, occurrence }`). */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.addAgendaItem(event.locals.actor, { ...((await jsonBody(event)) as object), eventId: event.params.id }), 201);
