import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET ?group=<slug>&month=YYYY-MM: a group's coming events, or a month's. POST: a new event. */
export const GET: RequestHandler = (event) =>
  api(event, () =>
    event.locals.app.decide.agenda(event.locals.actor, {
      groupSlug: event.url.searchParams.get('group') ?? '',
      month: event.url.searchParams.get('month') ?? undefined,
      limit: event.url.searchParams.get('limit') ?? undefined,
      timeZone: event.locals.timeZone,
    }),
  );
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.decide.createEvent(event.locals.actor, await jsonBody(event)), 201);
