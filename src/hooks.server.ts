import type { Handle, HandleServerError } from '@sveltejs/kit';
import { json, redirect, type RequestEvent } from '@sveltejs/kit';
import { PRIVATE_NO_STORE, securityHeaders } from '$lib/server/security-headers';
import { createApp, getGlobalApp } from '$lib/server/app';
import { loadConfig } from '$lib/server/config';
import { SESSION_COOKIE, bearerToken, scopeAllowsMethod, type ResolvedToken } from '$lib/server/domain/accounts/sessions';
import { isLocale, negotiateLocale, translator, type Locale, type T } from '$lib/i18n';
import type { UserId } from '$lib/server/kernel/ids';
import { Gate } from '$lib/server/kernel/gate';
import { acceptsGzip, compressResponse } from '$lib/server/compress';
import { keepPage, pageBytes, restorePage } from '$lib/server/page-body';
import { dev } from '$app/environment';

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

/**
 * Reads take their turn at the gate; the compression of their answer (on the thread pool)
 * happens after they leave it, so a big page being compressed holds no rendering slot. A page
 * the page cache still holds for this reader is served without a turn (page-cache.ts).
 */
export const handle: Handle = async (input) => {
  // Counted while handled, so that a shutdown lets it finish before the database closes.
  const { inflight } = await appPromise();
  return inflight.run(async () => {
    const { request } = input.event;
    if (request.method !== 'GET' && request.method !== 'HEAD') return handleRequest(input);
    return compressResponse(request, await read(input));
  });
};

/** The whole path of a request that is not a read: who asks, then the answer. */
const handleRequest: Handle = async ({ event, resolve }) => {
  const refusal = await identify(event);
  return finishResponse(event, refusal ?? (await render(event, resolve)));
};

/** A page or a read of the API: from the page cache when it holds it, else rendered at the gate. */
const read: Handle = async ({ event, resolve }) => {
  const refusal = await identify(event);
  if (refusal) return finishResponse(event, refusal);
  const pages = event.locals.app.pages;
  const key = pages && !dev ? pageKey(event) : null;
  const userId = event.locals.user?.id ?? null;
  if (pages && key) {
    const kept = pages.get(key, userId, { gzip: acceptsGzip(event.request.headers.get('accept-encoding')) });
    if (kept) return finishResponse(event, kept);
  }
  return gate.run(async () => {
    // Read when its turn comes: a write while it waited does not keep it from being kept.
    const renderedAt = pages && key ? pages.generation() : '';
    let response = await render(event, resolve);
    if (pages && key) {
      let body = pageBytes(response);
      // A client-side navigation's data (`__data.json`, complete JSON; streamed data is not kept).
      if (!body && event.isDataRequest && response.status === 200 && response.headers.get('content-type') === 'application/json') {
        body = Buffer.from(await response.arrayBuffer());
        response = new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), response);
      }
      if (body) pages.put(key, userId, renderedAt, response, body, event.locals.formKeys ?? []);
    }
    return finishResponse(event, response);
  });
};

/**
 * What a page depends on in its request: the whole address (`__data.json` and its
 * parameters included), the cookies (session, language) and `Accept-Language`. Null for what
 * is never kept: the API, a reload that asks for a fresh copy.
 */
function pageKey(event: RequestEvent): string | null {
  const h = event.request.headers;
  if (event.request.method !== 'GET' || h.has('authorization') || /no-cache/.test(h.get('cache-control') ?? '') || event.url.pathname.startsWith('/api/')) return null;
  return `${event.request.url}\n${h.get('cookie') ?? ''}\n${h.get('accept-language') ?? ''}`;
}

/**
 * Who asks (a session cookie, or a personal access token: `Authorization: Bearer ruche_…`),
 * in which language, into `event.locals`. A token that does not work answers 401 and a read
 * token outside safe methods 403, both in JSON, whatever the route: a script must not
 * silently act as a visitor. Returns that refusal, if any.
 */
async function identify(event: RequestEvent): Promise<Response | null> {
  const app = await appPromise();
  event.locals.app = app;
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

  if (refusal) return tokenRefusal(refusal, event.locals.t);
  if (!instance && !beforeSetup.test(event.url.pathname)) redirect(303, '/setup');
  return null;
}

/**
 * SvelteKit's answer. Pages are encoded once by restorePage, without SvelteKit's useless ETag
 * hash (see page-body.ts); the development server keeps SvelteKit's path, which checks
 * hydration markers.
 */
async function render(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response> {
  const locale = event.locals.locale;
  return restorePage(event, await resolve(event, { transformPageChunk: ({ html }) => (dev ? html.replace('%lang%', locale) : keepPage(event, html)) }), locale);
}

/** Whether an error answer already has the API's `{ error: { code, message } }` shape. */
async function hasApiError(response: Response): Promise<boolean> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return false;
  try {
    const body = await response.clone().json();
    return typeof body?.error?.code === 'string';
  } catch {
    return false;
  }
}

/**
 * The response-header part of every answer: security headers, no caching of personal data
 * (pages of a signed-in member, every JSON answer), and JSON errors all over /api/ (an
 * unsupported method, a crash) instead of SvelteKit's text or HTML.
 */
async function finishResponse(event: RequestEvent, response: Response): Promise<Response> {
  if (event.url.pathname.startsWith('/api/') && response.status >= 400 && !(await hasApiError(response))) {
    const t = event.locals.t ?? translator('fr');
    const code = response.status === 405 ? 'method_not_allowed' : response.status === 404 ? 'not_found' : response.status === 413 ? 'body_too_big' : response.status >= 500 ? 'server' : 'invalid';
    const allow = response.headers.get('allow');
    response = json({ error: { code, message: t(`errors.${code}`), issues: [] } }, { status: response.status, headers: allow ? { allow } : {} });
  }
  // A Response from fetch or json() may have immutable headers: copy it once if so.
  try {
    response.headers.set('x-content-type-options', 'nosniff');
  } catch {
    response = new Response(response.body, response);
  }
  for (const [name, value] of securityHeaders(event.locals.app?.config.baseUrl ?? '')) response.headers.set(name, value);
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  if (isJson || (event.locals.user && (response.headers.get('content-type') ?? '').startsWith('text/html'))) response.headers.set('cache-control', PRIVATE_NO_STORE);
  return response;
}

export const handleError: HandleServerError = ({ error, event, status }) => {
  // 4xx are the client's (a missing page, a bad path, a body too big): no stack in the log.
  if (status >= 500) console.error('[ruche] unhandled error on', event.url.pathname, error);
  const t = event.locals.t ?? translator('fr');
  if (status === 404) return { message: t('errors.not_found') };
  // Past BODY_SIZE_LIMIT the server refuses the upload before any action runs.
  if (status === 413) return { message: t('errors.file_too_big', { max: Math.round((event.locals.app?.config.maxUploadBytes ?? 10485760) / 1048576) }) };
  return { message: t('errors.server') };
};
