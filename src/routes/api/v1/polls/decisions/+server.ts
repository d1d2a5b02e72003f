import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET ?group=<slug>&q=&after=: a group's decision log, newest first, or the decisions matching `q`. */
export const GET: RequestHandler = (event) =>
  api(event, () =>
    event.locals.app.decide.decisions(event.locals.actor, {
      groupSlug: event.url.searchParams.get('group') ?? '',
      q: event.url.searchParams.get('q') ?? '',
      after: event.url.searchParams.get('after'),
      limit: event.url.searchParams.get('limit') ?? undefined,
    }),
  );
