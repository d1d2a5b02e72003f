import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Your answer (`{ answer: "yes" | "maybe" | "no", occurrence }`; the next occurrence of a series when none is named). */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.rsvp(event.locals.actor, { ...((await jsonBody(event)) as object), eventId: event.params.id }));
