import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import { rateLimited } from '../../kernel/errors';

/**
 * Password guessing is slowed, never turned into a lock-out of the real owner.
 *
 * Three throttles, each a row of `login_throttles` (consecutive failures and the last one):
 * - per (account, source): after a few failures from one address (or one known device) for
 *   one account, the next try waits 1 s, 2 s, 4 s… up to 15 minutes. An attacker elsewhere
 *   never slows the owner.
 * - per account: much looser, against guessing spread over many addresses. It only counts
 *   failures that were not already throttled for their pair, so one patient attacker cannot
 *   raise it. A known device (a signed cookie from an earlier login) skips it.
 * - per source: against one address spraying many accounts; it too counts only fresh pairs,
 *   so people behind a shared address are slowed only by spraying, and a known device skips it.
 *
 * The delay is decided before the password is checked, and the attempt is counted as a
 * failure at once (undone on success), in one short transaction: parallel guesses see each
 * other. A magic link always works and clears the account's throttles.
 */
export type ThrottleRule = { free: number; baseMs: number; capMs: number; forgetMs: number };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
export const RULES = {
  pair: { free: 3, baseMs: 1000, capMs: 15 * MINUTE, forgetMs: DAY },
  account: { free: 20, baseMs: 1000, capMs: 15 * MINUTE, forgetMs: DAY },
  source: { free: 30, baseMs: 1000, capMs: 15 * MINUTE, forgetMs: 60 * MINUTE },
} satisfies Record<string, ThrottleRule>;

/** How long to wait after the last of `failures` consecutive failures: 0 within the free tries, then doubling up to the cap. */
export function delayAfter(rule: ThrottleRule, failures: number): number {
  if (failures < rule.free) return 0;
  return Math.min(rule.capMs, rule.baseMs * 2 ** Math.min(failures - rule.free, 40));
}

export const pairKey = (email: string, source: string) => `pair:${email}|${source}`;
export const accountKey = (email: string) => `account:${email}`;
export const sourceKey = (source: string) => `source:${source}`;

/** Which throttles one attempt goes through: always its pair; the account and source ones unless the device is known. */
export type AttemptKeys = { email: string; pair: string; account: string | null; source: string | null };

/** Milliseconds until a key with this row may be tried again (0: now). */
function waitOf(rule: ThrottleRule, row: { failures: number; lastFailureAt: string } | undefined, now: number): number {
  if (!row) return 0;
  const last = Date.parse(row.lastFailureAt);
  if (now - last > rule.forgetMs) return 0;
  return Math.max(0, last + delayAfter(rule, row.failures) - now);
}

/** What `admit` counted, so a success can take it back. */
export type Admission = { counted: string[] };

/**
 * Admits one login attempt or refuses it with how long to wait (`errors.login_wait_*`, in
 * seconds or minutes). An admitted attempt is counted as a failure right away: the pair
 * always, the account and source only while the pair was not yet throttled.
 */
export async function admit(deps: Deps, keys: AttemptKeys): Promise<Admission> {
  const nowDate = deps.clock.now();
  const now = nowDate.getTime();
  const at = nowDate.toISOString();
  const wanted: [string, ThrottleRule][] = [[keys.pair, RULES.pair]];
  if (keys.account) wanted.push([keys.account, RULES.account]);
  if (keys.source) wanted.push([keys.source, RULES.source]);
  // The same order in every transaction, so concurrent attempts lock rows without deadlocks.
  wanted.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const names = wanted.map(([k]) => k);

  const { wait, counted } = await deps.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('loginThrottles')
      .values(names.map((key) => ({ key, account: key.startsWith('source:') ? null : keys.email, failures: 0, lastFailureAt: new Date(0).toISOString() })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    let q = tx.selectFrom('loginThrottles').select(['key', 'failures', 'lastFailureAt']).where('key', 'in', names).orderBy('key');
    if (deps.dialect === 'postgres') q = q.forUpdate();
    const rows = new Map((await q.execute()).map((r) => [r.key, r]));
    const wait = Math.max(...wanted.map(([k, rule]) => waitOf(rule, rows.get(k), now)));
    if (wait > 0) return { wait, counted: [] };
    const pair = rows.get(keys.pair);
    const pairFresh = !pair || now - Date.parse(pair.lastFailureAt) > RULES.pair.forgetMs || pair.failures < RULES.pair.free;
    const counted = wanted.filter(([k]) => k === keys.pair || pairFresh);
    for (const [key, rule] of counted) {
      const row = rows.get(key);
      const stale = !row || now - Date.parse(row.lastFailureAt) > rule.forgetMs;
      await tx
        .updateTable('loginThrottles')
        .set({ failures: stale ? 1 : sql<number>`failures + 1`, lastFailureAt: at })
        .where('key', '=', key)
        .execute();
    }
    return { wait: 0, counted: counted.map(([k]) => k) };
  });
  if (wait > 0) refuse(wait);
  return { counted };
}

/** `errors.login_wait_seconds` under a minute and a half, `errors.login_wait_minutes` beyond. */
function refuse(waitMs: number): never {
  const seconds = Math.ceil(waitMs / 1000);
  if (seconds < 90) return rateLimited('login_wait_seconds', { count: seconds });
  return rateLimited('login_wait_minutes', { count: Math.ceil(seconds / 60) });
}

/** The right password: the pair starts afresh; what this attempt added to the account and source is taken back. */
export async function succeeded(tx: Tx, keys: AttemptKeys, admission: Admission): Promise<void> {
  await tx.deleteFrom('loginThrottles').where('key', '=', keys.pair).execute();
  const others = admission.counted.filter((k) => k !== keys.pair);
  if (others.length)
    await tx
      .updateTable('loginThrottles')
      .set({ failures: sql<number>`case when failures > 0 then failures - 1 else 0 end` })
      .where('key', 'in', others)
      .execute();
}

/** After proving who they are by mail (magic link, reset): every throttle on the account ends. */
export async function clearAccount(tx: Tx, email: string): Promise<void> {
  await tx.deleteFrom('loginThrottles').where('account', '=', email).execute();
}

/** Forgets rows quiet for longer than any rule remembers. */
export async function forgetOld(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('loginThrottles').where('lastFailureAt', '<', new Date(now.getTime() - DAY).toISOString()).execute();
}
