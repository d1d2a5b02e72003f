import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { isDomainError } from '$lib/server/kernel/errors';

/** A member's private calendar feed: the address is the credential (revocable from /calendar). */
export const GET: RequestHandler = async (event) => {
  try {
    const ics = await event.locals.app.decide.memberFeed(event.params.token.replace(/\.ics$/, ''));
    return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, no-store' } });
  } catch (e) {
    if (isDomainError(e)) error(404, event.locals.t('errors.not_found'));
    throw e;
  }
};
