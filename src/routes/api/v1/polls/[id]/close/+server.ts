import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** Closes a poll with its outcome (`{ outcome, optionId }`; a date poll's `optionId` becomes an event). */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.close(event.locals.actor, { ...((await jsonBody(event)) as object), pollId: event.params.id }));
