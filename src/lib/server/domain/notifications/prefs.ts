import { z } from 'zod';
import { text } from '../../kernel/validate';
import type { Tx } from '../../db/connect';
import { CHANNELS, CHOICES, DEFAULT_CHOICES, REASONS, type ChoiceTable, type Reason } from './reasons';

/** A member's choices per reason and channel (defaults filled in), their quiet hours and the hour of their reminders. */
export type Preferences = { choices: ChoiceTable; quiet: { from: number; to: number } | null; reminderHour: number };

/** Reminders (of tasks due tomorrow) reach a member at this local hour unless they chose another. */
export const DEFAULT_REMINDER_HOUR = 8;

/** Reasons a member can set: `member` is the groups' mail level (every message), set per group. */
export const SETTABLE: readonly Reason[] = REASONS.filter((r) => r !== 'member');

const Hour = z.union([z.literal(''), z.coerce.number().int('bad_value').min(0, 'bad_value').max(23, 'bad_value')]);

/**
 * Input of the preferences form and API: `<reason>.<channel>` = choice, for any subset, and
 * quiet hours (`quietFrom`/`quietTo`, local hours; both empty: none).
 */
export const PreferencesInput = z
  .object({
    choices: z
      .record(text(), z.record(text(), text()))
      .optional()
      .superRefine((v, ctx) => {
        for (const [reason, byChannel] of Object.entries(v ?? {})) {
          if (!(SETTABLE as readonly string[]).includes(reason)) ctx.addIssue({ code: 'custom', path: [reason], message: 'bad_value' });
          for (const [channel, choice] of Object.entries(byChannel)) {
            const allowed = (CHOICES as Record<string, readonly string[]>)[channel];
            if (!allowed || !allowed.includes(choice)) ctx.addIssue({ code: 'custom', path: [reason, channel], message: 'bad_value' });
          }
        }
      }),
    quietFrom: Hour.optional(),
    quietTo: Hour.optional(),
    /** Local hour (0–23) at which reminders arrive. */
    reminderHour: z.coerce.number().int('bad_value').min(0, 'bad_value').max(23, 'bad_value').optional(),
  })
  .superRefine((v, ctx) => {
    const a = v.quietFrom === '' ? undefined : v.quietFrom;
    const b = v.quietTo === '' ? undefined : v.quietTo;
    if ((a === undefined) !== (b === undefined)) ctx.addIssue({ code: 'custom', path: [a === undefined ? 'quietFrom' : 'quietTo'], message: 'quiet_both' });
  });

/** Reads a form's fields `<reason>.<channel>` into the input's shape. */
export function preferencesFromForm(f: Record<string, unknown>): z.input<typeof PreferencesInput> {
  const choices: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(f)) {
    const m = /^pref\.([a-z]+)\.([a-z]+)$/.exec(k);
    if (m && typeof v === 'string') (choices[m[1]] ??= {})[m[2]] = v;
  }
  return {
    choices,
    quietFrom: typeof f.quietFrom === 'string' ? f.quietFrom : undefined,
    quietTo: typeof f.quietTo === 'string' ? f.quietTo : undefined,
    reminderHour: typeof f.reminderHour === 'string' && f.reminderHour !== '' ? f.reminderHour : undefined,
  };
}

export async function readPreferences(db: Tx, userId: string): Promise<Preferences> {
  const rows = await db.selectFrom('notificationPrefs').select(['reason', 'channel', 'value']).where('userId', '=', userId).execute();
  const choices = structuredClone(DEFAULT_CHOICES) as Record<string, Record<string, string>>;
  for (const r of rows) if (choices[r.reason] && (CHANNELS as readonly string[]).includes(r.channel)) choices[r.reason][r.channel] = r.value;
  const s = await db.selectFrom('notificationSettings').select(['quietFrom', 'quietTo', 'reminderHour']).where('userId', '=', userId).executeTakeFirst();
  const quiet = s && s.quietFrom !== null && s.quietTo !== null ? { from: Number(s.quietFrom), to: Number(s.quietTo) } : null;
  return { choices: choices as ChoiceTable, quiet, reminderHour: s?.reminderHour === undefined || s.reminderHour === null ? DEFAULT_REMINDER_HOUR : Number(s.reminderHour) };
}

/** Stores only what differs from the defaults, so a better default later reaches everyone who never chose. */
export async function writePreferences(tx: Tx, userId: string, input: z.output<typeof PreferencesInput>, at: string): Promise<void> {
  for (const [reason, byChannel] of Object.entries(input.choices ?? {}))
    for (const [channel, value] of Object.entries(byChannel)) {
      await tx.deleteFrom('notificationPrefs').where('userId', '=', userId).where('reason', '=', reason).where('channel', '=', channel).execute();
      if ((DEFAULT_CHOICES as Record<string, Record<string, string>>)[reason][channel] !== value)
        await tx.insertInto('notificationPrefs').values({ userId, reason, channel, value, updatedAt: at }).execute();
    }
  if (input.quietFrom !== undefined || input.quietTo !== undefined) {
    const from = input.quietFrom === '' || input.quietFrom === undefined ? null : input.quietFrom;
    const to = input.quietTo === '' || input.quietTo === undefined ? null : input.quietTo;
    await tx
      .insertInto('notificationSettings')
      .values({ userId, quietFrom: from, quietTo: to, inboxUnread: 0, updatedAt: at })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ quietFrom: from, quietTo: to, updatedAt: at }))
      .execute();
  }
  if (input.reminderHour !== undefined)
    await tx
      .insertInto('notificationSettings')
      .values({ userId, quietFrom: null, quietTo: null, inboxUnread: 0, reminderHour: input.reminderHour, updatedAt: at })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ reminderHour: input.reminderHour, updatedAt: at }))
      .execute();
}
