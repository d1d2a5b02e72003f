import { SESSION_COOKIE } from './sessions';

/** The part of SvelteKit's `cookies` these helpers use (kept structural: no framework import). */
type Cookies = {
  set(name: string, value: string, opts: { path: string; httpOnly?: boolean; sameSite?: 'lax' | 'strict' | 'none'; secure?: boolean; expires?: Date }): void;
  delete(name: string, opts: { path: string; secure?: boolean }): void;
  get(name: string): string | undefined;
};

/** Sets the session cookie: HTTP-only, SameSite=Lax, Secure when the request came over https. */
export function setSessionCookie(cookies: Cookies, url: URL, s: { token: string; expiresAt: Date }) {
  cookies.set(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: s.expiresAt });
}

export function clearSessionCookie(cookies: Cookies, url: URL) {
  cookies.delete(SESSION_COOKIE, { path: '/', secure: url.protocol === 'https:' });
}

export const sessionToken = (cookies: Cookies) => cookies.get(SESSION_COOKIE) ?? null;

/** Where to go after logging in: only paths on this site ("/x", never "//host" or "/\\host"). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !/[\r\n]/.test(next) ? next : '/';
}

/** Where a request comes from, for rate limits, session rotation and the session list. */
export function clientContext(event: { getClientAddress(): string; request: Request; cookies: Cookies }) {
  let ip: string | undefined;
  try {
    ip = event.getClientAddress();
  } catch {
    ip = undefined;
  }
  return { ip, userAgent: event.request.headers.get('user-agent') ?? '', previousToken: sessionToken(event.cookies) };
}
