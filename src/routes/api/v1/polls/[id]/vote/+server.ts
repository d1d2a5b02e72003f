import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** A choice poll: your vote (`{ optionIds: [...] }`). */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.vote(event.locals.actor, { ...((await jsonBody(event)) as object), pollId: event.params.id }));
