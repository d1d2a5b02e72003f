import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { formAction, api } from './http';
import { invalidField } from './kernel/errors';
import { translator } from '$lib/i18n';

const eventIn = (locale: 'fr' | 'nl' | 'en') => ({ locals: { t: translator(locale) }, url: new URL('http://x/messages') }) as unknown as RequestEvent;

describe('surface messages of a field error', () => {
  it('fill the placeholders of the summary line and of the field, in every language', async () => {
    for (const locale of ['fr', 'nl', 'en'] as const) {
      const res = (await formAction(eventIn(locale), async () => invalidField('handles', 'unknown_handle', { handle: 'fatima' }))) as unknown as { data: { message: string; errors: Record<string, string> } };
      expect(res.data.message).toContain('@fatima');
      expect(res.data.errors.handles).toContain('@fatima');
      expect(res.data.message).not.toMatch(/\{\w+\}/);
    }
  });

  it('fill them in the JSON API message too', async () => {
    const r = await api(eventIn('en'), async () => invalidField('emails', 'email_list', { list: 'a@, b@' }));
    const body = (await r.json()) as { error: { message: string; issues: { message: string }[] } };
    expect(body.error.message).toBe('These addresses are not valid: a@, b@.');
    expect(body.error.issues[0].message).toBe(body.error.message);
  });
});
