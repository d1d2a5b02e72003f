import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { isDomainError } from '$lib/server/kernel/errors';

/**
 * A group's calendar feed: an open group's for anyone; a closed or secret group's for its
 * members (their session, or `?token=` their private feed's token, for calendar applications).
 */
export const GET: RequestHandler = async (event) => {
  try {
    const ics = await event.locals.app.decide.groupFeed(event.locals.actor, { slug: event.params.slug.replace(/\.ics$/, ''), token: event.url.searchParams.get('token') });
    return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-cache' } });
  } catch (e) {
    if (isDomainError(e)) error(404, event.locals.t('errors.not_found'));
    throw e;
  }
};
