import { z } from 'zod';
import { DomainError, type Issue } from './errors';
import { looksEmpty, normalizeText } from './text';

/**
 * Parses unvalidated input with a zod schema; failures become `Invalid` with one issue per
 * field and an i18n code (`errors.<code>`), so every surface shows the same message.
 */
export function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issues: Issue[] = r.error.issues.map((i) => {
    const path = i.path.join('.');
    const msg = i.message;
    // Schemas put an i18n code in `message` (e.g. 'email'); zod's own messages map to generic codes.
    if (/^[a-z_]+$/.test(msg)) return { path, code: msg, params: paramsOf(i) };
    if (i.code === 'too_small') return { path, code: (i as any).minimum === 1 ? 'required' : 'too_short', params: { min: Number((i as any).minimum) } };
    if (i.code === 'too_big') return { path, code: 'too_long', params: { max: Number((i as any).maximum) } };
    if (i.code === 'invalid_type' && (i as any).input === undefined) return { path, code: 'required' };
    return { path, code: 'bad_value' };
  });
  throw new DomainError('invalid', 'invalid', issues);
}

function paramsOf(i: z.core.$ZodIssue): Record<string, number> {
  const p: Record<string, number> = {};
  if ('minimum' in i) p.min = Number(i.minimum);
  if ('maximum' in i) p.max = Number(i.maximum);
  return p;
}

/**
 * The one string schema every text field of every input schema starts from (instead of
 * `z.string()`): well-formed and NFC before any other check, so a length limit counts what
 * is stored, and pages, the API, WebSocket frames and inbound mail store the same text.
 * Chain zod's string checks after it (`text().trim().max(200)`).
 */
export const text = () => z.string().overwrite(normalizeText);

/** For `.refine(shows, 'blank')`: empty (left to `min`) or showing at least one visible character. */
export const shows = (s: string) => s === '' || !looksEmpty(s);

/**
 * A title, a name or a body: trimmed, between `min` and `max` characters, and refused with
 * `blank` when it would show nothing (only white space, zero-width, format or control
 * characters, invisible separators).
 */
export const visibleText = (min: number, max: number, codes: { min?: string; max?: string } = {}) =>
  text()
    .trim()
    .min(min, codes.min ?? (min <= 1 ? 'required' : 'too_short'))
    .max(max, codes.max ?? 'too_long')
    .refine(shows, 'blank');

/**
 * An idempotency key chosen by the client (a hidden field rendered with each creating form,
 * or the JSON API's `Idempotency-Key` header): a repeated key from the same member returns
 * the first result and writes nothing. Empty means none.
 */
export const idempotencyKey = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  text().min(8, 'bad_key').max(64, 'bad_key').regex(/^[A-Za-z0-9_-]+$/, 'bad_key').optional(),
);

/**
 * A password or a current password: made well-formed but not recomposed, since existing
 * hashes were computed on the password as it was typed and a member must still log in.
 */
export const secret = () => z.string().overwrite((s) => s.toWellFormed());

/** Common field schemas, with i18n codes as messages. */
export const fields = {
  email: text().trim().toLowerCase().max(254, 'too_long').pipe(z.email('email')),
  name: visibleText(1, 80),
  password: secret().min(10, 'too_short').max(200, 'too_long'),
  title: visibleText(1, 200),
  body: visibleText(1, 50_000),
  url: text().trim().max(2000, 'too_long').pipe(z.url({ protocol: /^https?$/, message: 'url' })),
  uuid: text().uuid('not_found'),
  locale: z.enum(['fr', 'nl', 'en']),
};
