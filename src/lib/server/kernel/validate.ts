import { z } from 'zod';
import { DomainError, type Issue } from './errors';

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

/** Common field schemas, with i18n codes as messages. */
export const fields = {
  email: z.string().trim().toLowerCase().max(254, 'too_long').pipe(z.email('email')),
  name: z.string().trim().min(1, 'required').max(80, 'too_long'),
  password: z.string().min(10, 'too_short').max(200, 'too_long'),
  title: z.string().trim().min(1, 'required').max(200, 'too_long'),
  body: z.string().trim().min(1, 'required').max(50_000, 'too_long'),
  url: z.string().trim().max(2000, 'too_long').pipe(z.url({ protocol: /^https?$/, message: 'url' })),
  uuid: z.string().uuid('not_found'),
  locale: z.enum(['fr', 'nl', 'en']),
};
