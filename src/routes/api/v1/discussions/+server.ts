import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';

/** GET ?group=<slug>&after=<cursor>&limit=: a group's discussions. POST: start one. */
export const GET: RequestHandler = (event) =>
  api(event, () =>
    event.locals.app.discussions.listForGroup(event.locals.actor, {
      groupSlug: event.url.searchParams.get('group') ?? '',
      after: event.url.searchParams.get('after'),
      limit: event.url.searchParams.get('limit') ?? undefined,
    }),
  );
export const POST: RequestHandler = (event) => api(event, async () => event.locals.app.discussions.create(event.locals.actor, await jsonBody(event)), 201);
