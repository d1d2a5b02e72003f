import type { Tx } from '../../db/connect';
import { rateLimited } from '../../kernel/errors';
import { newId } from '../../kernel/ids';

/**
 * Brute-force protection over the `login_attempts` table: one row per failed attempt (or
 * per mail sent), keyed by "email:…", "ip:…" or "mail:…". Counting happens in SQL within a
 * sliding window, so it holds across processes sharing one database.
 */
export const WINDOW_MS = 15 * 60_000;
export const LIMITS = { email: 5, ip: 30, mail: 5 } as const;

/** When the key is over its limit: minutes until one more attempt is allowed; else null. */
export async function blockedFor(db: Tx, key: string, limit: number, now: Date): Promise<number | null> {
  const since = new Date(now.getTime() - WINDOW_MS).toISOString();
  const rows = await db
    .selectFrom('loginAttempts')
    .select('createdAt')
    .where('key', '=', key)
    .where('createdAt', '>', since)
    .orderBy('createdAt', 'desc')
    .limit(limit)
    .execute();
  if (rows.length < limit) return null;
  // The oldest of the last `limit` attempts must leave the window before the next one counts.
  const unblockAt = Date.parse(rows[rows.length - 1].createdAt) + WINDOW_MS;
  return Math.max(1, Math.ceil((unblockAt - now.getTime()) / 60_000));
}

/** Refuses with `errors.rate_limited` ("try again in N minutes") when any key is over its limit. */
export async function assertNotBlocked(db: Tx, keys: [string, number][], now: Date): Promise<void> {
  let worst = 0;
  for (const [key, limit] of keys) worst = Math.max(worst, (await blockedFor(db, key, limit, now)) ?? 0);
  if (worst > 0) rateLimited('rate_limited', { minutes: worst });
}

/** Records one attempt per key and forgets attempts older than a day. */
export async function recordAttempt(db: Tx, keys: string[], now: Date): Promise<void> {
  if (!keys.length) return;
  const at = now.toISOString();
  await db.insertInto('loginAttempts').values(keys.map((key) => ({ id: newId(), key, createdAt: at }))).execute();
  await db.deleteFrom('loginAttempts').where('createdAt', '<', new Date(now.getTime() - 86400_000).toISOString()).execute();
}

/** A successful login clears the email's counter (not the IP's: one IP may try many emails). */
export async function clearAttempts(db: Tx, key: string): Promise<void> {
  await db.deleteFrom('loginAttempts').where('key', '=', key).execute();
}

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;
export const mailKey = (email: string) => `mail:${email.trim().toLowerCase()}`;
