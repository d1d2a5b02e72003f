/**
 * The headers every response carries, whoever answers it: a SvelteKit page or endpoint
 * (hooks.server.ts), a static asset, the one-click unsubscribe endpoint or the production
 * entry's own refusals (server/main.ts). One list, so no surface forgets one.
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
 * Pages for a signed-in member and JSON answers hold personal data: no shared cache keeps
 * them, and the browser does not store them either (a shared computer after logging out).
 */
export const PRIVATE_NO_STORE = 'private, no-store';
