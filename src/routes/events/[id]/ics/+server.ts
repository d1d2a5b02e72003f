import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { isDomainError } from '$lib/server/kernel/errors';

/** One event's calendar file ("Add to my calendar"), as the actor may read it. */
export const GET: RequestHandler = async (event) => {
  try {
    const { filename, ics } = await event.locals.app.decide.eventCalendar(event.locals.actor, { eventId: event.params.id });
    return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` } });
  } catch (e) {
    if (isDomainError(e)) error(404, event.locals.t('errors.not_found'));
    throw e;
  }
};
