import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

const occurrence = (url: URL) => url.searchParams.get('occurrence') ?? undefined;

/** GET ?occurrence=: an event (one occurrence of a series), who comes, a meeting's agenda. PATCH: changes it (or one occurrence: `occurrence` in the body). */
export const GET: RequestHandler = (event) => api(event, () => event.locals.app.decide.event(event.locals.actor, { eventId: event.params.id, occurrence: occurrence(event.url) }));
export const PATCH: RequestHandler = (event) => api(event, async () => event.locals.app.decide.editEvent(event.locals.actor, { ...((await jsonBody(event)) as object), eventId: event.params.id }));
