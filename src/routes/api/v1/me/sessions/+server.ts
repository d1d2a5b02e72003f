import type { RequestHandler } from './$types';
import { api } from '$lib/server/http';
import { clearSessionCookie, sessionToken } from '$lib/server/domain/accounts/cookie';

/** Your active sessions, newest first (`current`: the one this request's cookie belongs to). */
export const GET: RequestHandler = (event) => api(event, async () => ({ items: await event.locals.app.accounts.listSessions(event.locals.actor, sessionToken(event.cookies)) }));

/** Log out everywhere: ends every session (this one too) and revokes every personal access token. */
export const DELETE: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.accounts.logOutEverywhere(event.locals.actor);
    clearSessionCookie(event.cookies, event.url);
    return { ok: true };
  });
