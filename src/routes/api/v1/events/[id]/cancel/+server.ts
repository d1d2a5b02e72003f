import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Cancels the event, or one occurrence of a series (`{ occurrence }`); those who come are told. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.cancelEvent(event.locals.actor, { ...((await jsonBody(event)) as object), eventId: event.params.id }));
