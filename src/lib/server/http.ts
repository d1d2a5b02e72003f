import { randomBytes } from 'node:crypto';
import { error, fail, json, redirect, type ActionFailure, type RequestEvent } from '@sveltejs/kit';
import { DomainError, isDomainError } from './kernel/errors';
import type { T } from '$lib/i18n';

/**
 * Surface helpers: map domain errors to HTTP for pages, form actions and the JSON API.
 * Routes stay thin: parse the transport, call one service function, map the result.
 */
const statusOf: Record<DomainError['kind'], number> = {
  not_found: 404,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
  unauthenticated: 401,
};

/** Field errors translated for a form: `{ email: 'Enter a valid email…' }`. */
export function fieldErrors(e: DomainError, t: T): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of e.issues) out[i.path || '_'] ??= t(`errors.${i.code}`, i.params);
  return out;
}

/** What a failed form action returns to its page. */
export type FormFailure = { errors: Record<string, string>; message: string; values: Record<string, string> };

/**
 * Runs a form action body. Domain errors become `fail(status, { errors, message, values })`
 * so the page re-renders with the member's input kept and messages next to each field.
 */
export async function formAction<R>(
  event: RequestEvent,
  fn: () => Promise<R>,
  keep: Record<string, unknown> = {},
): Promise<R | ActionFailure<FormFailure>> {
  try {
    return await fn();
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const t = event.locals.t;
    if (e.kind === 'unauthenticated') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
    if (e.kind === 'not_found') error(404, t('errors.not_found'));
    return fail(statusOf[e.kind], {
      errors: fieldErrors(e, t),
      message: t(`errors.${e.code}`, e.params),
      // What the member typed comes back (never passwords or files), so nothing is lost.
      values: Object.fromEntries(Object.entries(keep).filter(([k, v]) => typeof v === 'string' && !/password/i.test(k))) as Record<string, string>,
    });
  }
}

/** Reads a submitted form as a plain object (files kept as File). */
export async function formObject(request: Request): Promise<Record<string, FormDataEntryValue>> {
  const fd = await request.formData();
  const o: Record<string, FormDataEntryValue> = {};
  for (const [k, v] of fd) o[k] = v;
  return o;
}

/** For `load` functions: domain errors become error pages (404 for anything hidden). */
export async function loadOr404<R>(event: RequestEvent, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (e) {
    if (!isDomainError(e)) throw e;
    if (e.kind === 'unauthenticated') redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
    error(e.kind === 'not_found' ? 404 : statusOf[e.kind], event.locals.t(`errors.${e.code}`, e.params));
  }
}

/** JSON API handler wrapper: `{ error: { code, message, issues } }` with the right status. */
export async function api<R>(event: RequestEvent, fn: () => Promise<R>, status = 200): Promise<Response> {
  try {
    const out = await fn();
    return json(out ?? { ok: true }, { status });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const t = event.locals.t;
    return json(
      {
        error: {
          code: e.code,
          message: t(`errors.${e.code}`, e.params),
          issues: e.issues.map((i) => ({ path: i.path, code: i.code, message: t(`errors.${i.code}`, i.params) })),
        },
      },
      { status: e.code === 'body_too_big' ? 413 : statusOf[e.kind] },
    );
  }
}

/** Reads a JSON body, refusing non-JSON and oversize bodies with a clear error (inside `api`). */
export async function jsonBody(event: RequestEvent, maxBytes = 256 * 1024): Promise<unknown> {
  // Only application/json: a cross-site form cannot send it without a CORS preflight (CSRF).
  const type = event.request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new DomainError('invalid', 'bad_json');
  const len = Number(event.request.headers.get('content-length') ?? 0);
  if (len > maxBytes) throw new DomainError('invalid', 'body_too_big');
  const text = await event.request.text();
  if (text.length > maxBytes) throw new DomainError('invalid', 'body_too_big');
  let body: unknown = {};
  try {
    if (text) body = JSON.parse(text);
  } catch {
    throw new DomainError('invalid', 'bad_json');
  }
  // An `Idempotency-Key` header is the API's form key: a repeated call returns the first result.
  const key = event.request.headers.get('idempotency-key');
  if (key !== null && body && typeof body === 'object' && !Array.isArray(body) && !('key' in body)) body = { ...body, key };
  return body;
}

/**
 * A fresh idempotency key for a creating form, rendered as its hidden `key` field: the
 * same form sent twice creates one thing (see kernel/idempotency.ts). Recorded on the
 * request, so that a copy of the page served again from the page cache gets new ones.
 */
export function formKey(event: { locals: Pick<App.Locals, 'formKeys'> }): string {
  const key = randomBytes(16).toString('base64url');
  (event.locals.formKeys ??= []).push(key);
  return key;
}
