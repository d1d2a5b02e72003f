import type { PageServerLoad } from './$types';
import { loadOr404 } from '$lib/server/http';

/** A group's agenda: the coming events, or a month (`?month=YYYY-MM`) as a calendar. */
export const load: PageServerLoad = (event) =>
  loadOr404(event, () =>
    event.locals.app.decide.agenda(event.locals.actor, { groupSlug: event.params.slug, month: event.url.searchParams.get('month') ?? undefined, timeZone: event.locals.timeZone }),
  );
