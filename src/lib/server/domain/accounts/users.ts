import { z } from 'zod';
import type { Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import { invalidField } from '../../kernel/errors';
import { newId, type UserId } from '../../kernel/ids';
import { fields, parse, text } from '../../kernel/validate';
import { hashPassword } from './passwords';

export const NewUserInput = z.object({
  email: fields.email,
  name: fields.name,
  password: fields.password.optional(),
  handle: text()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_]{2,30}$/, 'handle')
    .optional(),
  locale: fields.locale.default('fr'),
  timeZone: text().default('Europe/Brussels'),
  isAdmin: z.boolean().default(false),
});
export type NewUserInput = z.input<typeof NewUserInput>;

/** The handle a name gives when it is free: "Anne-Marie Dupont" → "anne_marie_dupont". */
export function handleFromName(wanted: string): string {
  const base =
    wanted
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 24) || 'member';
  return base.length < 2 ? base + '_1' : base;
}

/** A handle from a name, made unique with a number: "anne_marie_dupont2". */
export async function uniqueHandle(db: Tx, wanted: string): Promise<string> {
  const padded = handleFromName(wanted);
  for (let i = 0; i < 1000; i++) {
    const h = i === 0 ? padded : `${padded}${i + 1}`;
    const taken = await db.selectFrom('users').select('id').where('handle', '=', h).executeTakeFirst();
    if (!taken) return h;
  }
  return `${padded}_${newId().slice(-6)}`;
}

export const isValidTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * Creates a user inside the caller's transaction. Used by first-run setup, the CLI,
 * registration and invitation acceptance, so the rules on emails and handles live once.
 * `passwordHash`, when given, is `hashPassword(raw.password)` computed before the
 * transaction: argon2 takes tens of milliseconds, better not spent holding the write lock.
 */
export async function insertUser(deps: Deps, db: Tx, raw: NewUserInput, passwordHash?: string): Promise<{ id: UserId; handle: string }> {
  const input = parse(NewUserInput, raw);
  if (!isValidTimeZone(input.timeZone)) invalidField('timeZone', 'bad_value');
  const existing = await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) invalidField('email', 'email_taken');
  let handle = input.handle;
  if (handle) {
    if (await db.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst()) invalidField('handle', 'handle_taken');
  } else handle = await uniqueHandle(db, input.name);
  const id = newId<UserId>();
  await db
    .insertInto('users')
    .values({
      id,
      email: input.email,
      name: input.name,
      handle,
      passwordHash: input.password ? (passwordHash ?? (await hashPassword(input.password))) : null,
      isAdmin: input.isAdmin ? 1 : 0,
      locale: input.locale,
      timeZone: input.timeZone,
      bio: '',
      avatarFileId: null,
      createdAt: deps.clock.now().toISOString(),
      disabledAt: null,
    })
    .execute();
  return { id, handle };
}

/** Where and how to write to members: address, language and time zone (active accounts only). */
export async function mailIdentities(db: Tx, ids: string[]): Promise<{ id: string; email: string; name: string; locale: string; timeZone: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'timeZone']).where('id', 'in', ids).where('disabledAt', 'is', null).execute();
}
