import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** A date poll: your answers (`{ answers: { <optionId>: "yes" | "maybe" | "no" }, comment }`), replacing earlier ones. */
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.answerDatePoll(event.locals.actor, { ...((await jsonBody(event)) as object), pollId: event.params.id }));
