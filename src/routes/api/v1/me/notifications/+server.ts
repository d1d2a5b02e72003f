import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET: your notifications grouped by what they are about, newest first (`?unread=1`, `?before=` to page). */
export const GET: RequestHandler = (event) =>
  api(event, () => {
    const q = event.url.searchParams;
    return event.locals.app.notifications.inbox(event.locals.actor, { before: q.get('before') ?? undefined, unread: q.get('unread') ?? undefined, limit: q.get('limit') ?? undefined });
  });
