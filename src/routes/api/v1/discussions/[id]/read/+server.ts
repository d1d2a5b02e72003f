import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** Marks the discussion read up to its last item. */
export const POST: RequestHandler = (event) => api(event, () => event.locals.app.discussions.markRead(event.locals.actor, { discussionId: event.params.id }));
