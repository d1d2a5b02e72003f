import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';

/** GET ?q=: members of the group whose handle or name starts with q (for @ suggestions). */
export const GET: RequestHandler = (event) =>
  api(event, async () => ({ items: await event.locals.app.discussions.mentionCandidates(event.locals.actor, { groupSlug: event.params.slug, q: event.url.searchParams.get('q') ?? '' }) }));
