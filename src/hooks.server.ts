import type { Handle, HandleServerError } from '@sveltejs/kit';
import { redirect } from '@sveltejs/kit';
import { createApp, getGlobalApp } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';
import { SESSION_COOKIE, bearerToken, scopeAllowsMethod, type ResolvedToken } from '$lib/server/domain/accounts/sessions';
import { isLocale, negotiateLocale, translator, type Locale, type T } from '$lib/i18n';
import type { UserId } from '$lib/server/kernel/ids';
import { Gate } from '$lib/server/kernel/gate';

type TokenRefusal = 'token_invalid' | 'token_read_only';

/** 401 for a token that does not work (unknown, revoked, expired), 403 for a read token outside GET/HEAD (RFC 6750). */
function tokenRefusal(code: TokenRefusal, t: T): Response {
  const status = code === 'token_invalid' ? 401 : 403;
  const challenge = code === 'token_invalid' ? 'Bearer error="invalid_token"' : 'Bearer error="insufficient_scope", scope="write"';
  return new Response(JSON.stringify({ error: { code, message: t(`errors.${code}`), issues: [] } }), {
    status,
    headers: { 'content-type': 'application/json', 'www-authenticate': challenge, 'cache-control': 'no-store' },
  });
}

const appPromise = () => getGlobalApp(() => createApp(loadConfig()));

/** Paths reachable before the association is set up. */
const beforeSetup = /^\/(setup|healthz|_app|favicon|icons\/|manifest\.webmanifest|api\/v1\/openapi\.json)/;

/**
 * Reads (GET/HEAD: pages and API) are rendered a few at a time, first come first served.
 * Writes are not gated: their bodies arrive at the client's pace (an upload on a slow
 * network must not hold a rendering slot).
 */
const gate = new Gate(Number(process.env.RUCHE_RENDER_CONCURRENCY ?? 4));

export const handle: Handle = (input) =>
  input.event.request.method === 'GET' || input.event.request.method === 'HEAD' ? gate.run(async () => handleRequest(input)) : handleRequest(input);

const handleRequest: Handle = async ({ event, resolve }) => {
  const app = await appPromise();
  event.locals.app = app;

  // A session cookie, or a personal access token (`Authorization: Bearer ruche_…`). A token
  // that does not work answers 401 and a read token outside safe methods 403, both in JSON,
  // whatever the route: a script must not silently act as a visitor.
  let userId: UserId | null = null;
  let token: ResolvedToken | null = null;
  let refusal: TokenRefusal | null = null;
  const bearer = bearerToken(event.request.headers.get('authorization'));
  if (bearer !== null) {
    token = await app.sessions.resolveAccessToken(bearer);
    if (!token) refusal = 'token_invalid';
    else {
      userId = token.userId;
      if (!scopeAllowsMethod(token.scope, event.request.method)) refusal = 'token_read_only';
    }
  } else {
    userId = await app.sessions.userIdFor(event.cookies.get(SESSION_COOKIE));
  }
  event.locals.viaToken = bearer !== null;
  const { user: u, actor } = await app.sessions.identify(userId, token ? { scope: token.scope } : null);
  event.locals.actor = actor;
  event.locals.user = u ? { ...u, locale: (isLocale(u.locale) ? u.locale : 'fr') as Locale } : null;

  const instance = await app.instance.get();
  const cookieLang = event.cookies.get('lang');
  const locale: Locale =
    event.locals.user?.locale ??
    (isLocale(cookieLang) ? cookieLang : negotiateLocale(event.request.headers.get('accept-language'), (instance?.defaultLocale as Locale) ?? 'fr'));
  event.locals.locale = locale;
  event.locals.timeZone = event.locals.user?.timeZone ?? 'Europe/Brussels';
  event.locals.t = translator(locale);

  if (!instance && !beforeSetup.test(event.url.pathname) && !refusal) redirect(303, '/setup');

  const response = refusal ? tokenRefusal(refusal, event.locals.t) : await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', locale),
  });
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  return response;
};

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404 && status !== 413) console.error('[ruche] unhandled error on', event.url.pathname, error);
  const t = event.locals.t ?? translator('fr');
  if (status === 404) return { message: t('errors.not_found') };
  // Past BODY_SIZE_LIMIT the server refuses the upload before any action runs.
  if (status === 413) return { message: t('errors.file_too_big', { max: Math.round((event.locals.app?.config.maxUploadBytes ?? 10485760) / 1048576) }) };
  return { message: t('errors.server') };
};
