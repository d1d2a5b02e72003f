import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

export const load: PageServerLoad = (event) =>
  loadOr404(event, async () => {
    const q = event.url.searchParams.get('q') ?? '';
    const res = await event.locals.app.discussions.search(event.locals.actor, { q: q.slice(0, 200), after: event.url.searchParams.get('after') });
    return { ...res, searched: q.trim() !== '' };
  });
