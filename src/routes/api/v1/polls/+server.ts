import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET ?group=<slug>&state=open|closed|all: a group's polls. POST: a new one (`kind`: date, choice or proposal). */
export const GET: RequestHandler = (event) =>
  api(event, () => event.locals.app.decide.listForGroup(event.locals.actor, { groupSlug: event.url.searchParams.get('group') ?? '', state: event.url.searchParams.get('state') ?? undefined }));
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.createPoll(event.locals.actor, await jsonBody(event)), 201);
