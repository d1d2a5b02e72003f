import type { RequestHandler } from './$types';
import { api, jsonBody } from '$lib/server/http';
import { clearSessionCookie, clientContext, sessionToken, setSessionCookie } from '$lib/server/domain/accounts/cookie';

/** Logs in with `{ email, password }` (same limits as the form) and sets the session cookie. */
export const POST: RequestHandler = (event) =>
  api(event, async () => {
    const s = await event.locals.app.accounts.login(await jsonBody(event), clientContext(event));
    setSessionCookie(event.cookies, event.url, s);
    return { userId: s.userId, expiresAt: s.expiresAt.toISOString() };
  });

/** Logs out this cookie's session. */
export const DELETE: RequestHandler = (event) =>
  api(event, async () => {
    await event.locals.app.accounts.logout({ token: sessionToken(event.cookies) });
    clearSessionCookie(event.cookies, event.url);
    return { ok: true };
  });
