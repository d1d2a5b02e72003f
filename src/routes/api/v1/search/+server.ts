import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET ?q=&after=&limit=: full-text search over what the caller may read. */
export const GET: RequestHandler = (event) =>
  api(event, () =>
    event.locals.app.discussions.search(event.locals.actor, {
      q: event.url.searchParams.get('q') ?? '',
      after: event.url.searchParams.get('after'),
      limit: event.url.searchParams.get('limit') ?? undefined,
    }),
  );
