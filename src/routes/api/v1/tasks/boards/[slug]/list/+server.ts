import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** The list view: `?assignee=me|nobody|<id>&priority=&label=&due=overdue|week|none&status=open|done|<column>&sort=&after=&limit=`. */
export const GET: RequestHandler = (event) => {
  const q = event.url.searchParams;
  return api(event, () =>
    event.locals.app.tasks.list(event.locals.actor, {
      groupSlug: event.params.slug,
      assignee: q.get('assignee'),
      priority: q.get('priority'),
      label: q.get('label'),
      due: q.get('due'),
      status: q.get('status'),
      sort: q.get('sort'),
      after: q.get('after'),
      limit: q.get('limit') ?? undefined,
    }),
  );
};
