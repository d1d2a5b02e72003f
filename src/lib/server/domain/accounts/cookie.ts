import { SESSION_COOKIE } from './sessions';
import { DEVICE_COOKIE, DEVICE_DAYS } from './known-device';
import { addressOfEvent } from '../../kernel/client-address';
import type { ClientContext } from './auth';

/** The part of SvelteKit's `cookies` these helpers use (kept structural: no framework import). */
type Cookies = {
  set(name: string, value: string, opts: { path: string; httpOnly?: boolean; sameSite?: 'lax' | 'strict' | 'none'; secure?: boolean; expires?: Date; maxAge?: number }): void;
  delete(name: string, opts: { path: string; secure?: boolean }): void;
  get(name: string): string | undefined;
};

/**
 * Sets the session cookie (HTTP-only, SameSite=Lax, Secure when the request came over
 * https) and, when the login proved the device, the long-lived known-device cookie.
 */
export function setSessionCookie(cookies: Cookies, url: URL, s: { token: string; expiresAt: Date; device?: string }) {
  const secure = url.protocol === 'https:';
  cookies.set(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: s.expiresAt });
  if (s.device) cookies.set(DEVICE_COOKIE, s.device, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: DEVICE_DAYS * 86_400 });
}

export function clearSessionCookie(cookies: Cookies, url: URL) {
  cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

export const sessionToken = (cookies: Cookies) => cookies.get(SESSION_COOKIE) ?? null;

/**
 * Where a request comes from, for login throttles, session rotation and the session list:
 * every page, form action and JSON route that needs it builds it here, so the client's
 * address follows one rule (`ADDRESS_HEADER` / `XFF_DEPTH`, see kernel/client-address).
 */
export function clientContext(event: { getClientAddress(): string; request: Request; cookies: Cookies; locals: { viaToken?: boolean } }): ClientContext {
  return {
    ip: addressOfEvent(event),
    userAgent: event.request.headers.get('user-agent') ?? '',
    previousToken: sessionToken(event.cookies),
    deviceCookie: event.cookies.get(DEVICE_COOKIE) ?? null,
    viaToken: event.locals.viaToken === true,
  };
}
