import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** A proposal: your position (`{ position, reason }`; a block needs its reason). */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.respond(event.locals.actor, { ...((await jsonBody(event)) as object), pollId: event.params.id }));
