import type { Tx } from '../../db/connect';
import { newId } from '../../kernel/ids';

/**
 * No mail bombing: one row of `login_attempts` per account mail sent (login link, reset)
 * and key — "mail:<address>" and "mail:<address>|<source>" — counted in SQL within a
 * sliding window so the limits hold across processes sharing one database. Failed
 * passwords are throttled elsewhere (throttle.ts).
 */
export const WINDOW_MS = 15 * 60_000;
export const LIMITS = { mailPerSource: 5, mail: 10 } as const;

/** When the key is over its limit: minutes until one more is allowed; else null. */
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
  // The oldest of the last `limit` mails must leave the window before the next one counts.
  const unblockAt = Date.parse(rows[rows.length - 1].createdAt) + WINDOW_MS;
  return Math.max(1, Math.ceil((unblockAt - now.getTime()) / 60_000));
}

/** Records one mail per key and forgets rows older than a day. */
export async function recordAttempt(db: Tx, keys: string[], now: Date): Promise<void> {
  if (!keys.length) return;
  const at = now.toISOString();
  await db.insertInto('loginAttempts').values(keys.map((key) => ({ id: newId(), key, createdAt: at }))).execute();
  await db.deleteFrom('loginAttempts').where('createdAt', '<', new Date(now.getTime() - 86400_000).toISOString()).execute();
}

export const mailKey = (email: string, source?: string) => `mail:${email.trim().toLowerCase()}${source ? `|${source}` : ''}`;
