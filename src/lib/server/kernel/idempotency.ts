import type { Db, Tx } from '../db/connect';
import { inTx, type Deps } from './deps';
import { invalidField } from './errors';

/**
 * Idempotent creating writes. A form sent twice (a double click, a reload of the POST, a
 * retry after a timeout on a slow network) or a JSON call repeated with the same
 * `Idempotency-Key` must create one thing, not two.
 *
 * Each creating form carries a fresh random key (a hidden field); the service passes it
 * here with the member and the use case (`scope`). The key is stored in the SAME transaction
 * as the write, with the write's result: if the write commits, a repeat finds the key and
 * gets the first result back without writing anything; if it rolls back, the key was never
 * stored and a retry really runs.
 *
 * Why one generic table (`idempotency_keys`, unique on member + key) rather than a column
 * on each table as chat messages have (`chat_messages.client_key`): several creating use
 * cases write no single row that could carry it (an invitation by email writes one
 * invitation and one mail per address; a link's token is shown once and only its hash is
 * stored; a join request or a direct conversation may find an existing row), and the answer
 * to a repeat must be the first answer, which only a stored result gives. One table also
 * means one sweep forgets every key after `KEEP_KEYS_DAYS`. A result never holds a secret
 * (a link's token is derived from the key instead, see invitations.createLink).
 */
export const KEEP_KEYS_DAYS = 3;

/** Who repeats what: the member (none for visitors), their key (none: not idempotent) and the use case. */
export type OnceKey = { userId: string | null | undefined; key: string | null | undefined; scope: string };

const REPEATED = Symbol('repeated');

/**
 * Runs `write` in one transaction, once per (member, key). The result must be plain JSON
 * (ids, strings, numbers): a repeat returns it as stored. Without a key (or a member) this is
 * `inTx`. The same key used for another use case is refused (`key_reused`).
 */
export async function once<T>(deps: Deps, k: OnceKey, write: (tx: Tx) => Promise<T>): Promise<T> {
  const { userId, key, scope } = k;
  if (!key || !userId) return inTx(deps, write);
  const first = await storedResult<T>(deps.db, userId, key, scope);
  if (first.found) return first.result;
  try {
    return await inTx(deps, async (tx) => {
      // On PostgreSQL a concurrent twin waits here until the first commits, then inserts nothing.
      const ins = await tx
        .insertInto('idempotencyKeys')
        .values({ userId, key, scope, result: null, createdAt: deps.clock.now().toISOString() })
        .onConflict((oc) => oc.columns(['userId', 'key']).doNothing())
        .executeTakeFirst();
      if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 0) throw REPEATED;
      const result = await write(tx);
      await tx.updateTable('idempotencyKeys').set({ result: JSON.stringify(result ?? null) }).where('userId', '=', userId).where('key', '=', key).execute();
      return result;
    });
  } catch (e) {
    if (e !== REPEATED) throw e;
    const again = await storedResult<T>(deps.db, userId, key, scope);
    if (again.found) return again.result;
    // The twin rolled back between our insert and this read: the key is free again.
    return once(deps, k, write);
  }
}

async function storedResult<T>(db: Db, userId: string, key: string, scope: string): Promise<{ found: true; result: T } | { found: false }> {
  const row = await db.selectFrom('idempotencyKeys').select(['scope', 'result']).where('userId', '=', userId).where('key', '=', key).executeTakeFirst();
  if (!row) return { found: false };
  if (row.scope !== scope) invalidField('key', 'key_reused');
  return { found: true, result: JSON.parse(row.result ?? 'null') as T };
}

/** Forgets keys older than `KEEP_KEYS_DAYS` (the maintenance job). Returns how many. */
export async function forgetOldKeys(db: Tx, now: Date): Promise<number> {
  const before = new Date(now.getTime() - KEEP_KEYS_DAYS * 86_400_000).toISOString();
  const r = await db.deleteFrom('idempotencyKeys').where('createdAt', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
