import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

/** A group's decision log, newest first; `?q=` searches it. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, () =>
    event.locals.app.decide.decisions(event.locals.actor, { groupSlug: event.params.slug, q: event.url.searchParams.get('q') ?? '', after: event.url.searchParams.get('after') }),
  );
