import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET ?occurrence=: a meeting's agenda, minutes and action items. PUT: saves the minutes (decisions go to the decision log). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.decide.minutes(event.locals.actor, { eventId: event.params.id, occurrence: event.url.searchParams.get('occurrence') ?? undefined }));
export const PUT: RequestHandler = (event) => api(event, async () => event.locals.app.decide.saveMinutes(event.locals.actor, { ...((await jsonBody(event)) as object), eventId: event.params.id }));
