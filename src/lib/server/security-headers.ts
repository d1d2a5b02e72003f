/**
 * The headers every response carries, whoever answers it: a SvelteKit page or endpoint
 * (hooks.server.ts), a static asset, the one-click unsubscribe endpoint or the production
 * entry's own refusals (server/main.ts). One list, so no surface forgets one; the app's built
 * scripts and style sheets carry the part that applies to them (`assetHeaders`).
 */
export function securityHeaders(baseUrl: string): [string, string][] {
  const h: [string, string][] = [
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'same-origin'],
    ['x-frame-options', 'DENY'],
    // Another tab opened from here (a link in a post) cannot reach back into this window.
    ['cross-origin-opener-policy', 'same-origin'],
    // Nothing here uses these; a script slipped into a page could not either.
    ['permissions-policy', 'accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()'],
  ];
  // Only when the public address is https: a plain-http instance must stay reachable.
  if (/^https:/i.test(baseUrl)) h.push(['strict-transport-security', 'max-age=31536000']);
  return h;
}

/**
 * The part of those headers that a script or style sheet of the app acts on: not sniffed as
 * something else, and the referrer its own imports send. Framing, the opener and the
 * permissions policy apply to documents (and workers) only; on the thirty-odd scripts and
 * sheets a phone fetches they were some 250 bytes each of headers that no browser reads.
 */
export function assetHeaders(baseUrl: string): [string, string][] {
  const documentOnly = new Set(['x-frame-options', 'cross-origin-opener-policy', 'permissions-policy']);
  return securityHeaders(baseUrl).filter(([name]) => !documentOnly.has(name));
}

/** Scripts and style sheets of the app's build, named by their content (SvelteKit's `_app/immutable`). */
export const isBuiltScriptOrStyle = (pathname: string) => pathname.startsWith('/_app/immutable/') && /\.(js|css)$/.test(pathname);

/**
 * Pages for a signed-in member and JSON answers hold personal data: no shared cache keeps
 * them, and the browser does not store them either (a shared computer after logging out).
 */
export const PRIVATE_NO_STORE = 'private, no-store';
