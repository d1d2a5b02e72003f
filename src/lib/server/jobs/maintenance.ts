import type { Deps } from '../kernel/deps';
import { forgetOldKeys } from '../kernel/idempotency';
import type { FilesService } from '../domain/files/files.service';

/** How often the production entry looks whether this hour's sweep is enqueued. */
export const MAINTENANCE_TICK_MS = 10 * 60_000;

/**
 * Housekeeping that keeps a small server small: uploads nothing references (after a day),
 * and idempotency keys past their few days. Runs as a durable job ('maintenance.sweep'),
 * at most once an hour whatever the number of processes.
 */
export function createMaintenance(deps: Deps, files: FilesService) {
  const { db, clock } = deps;

  /**
   * Enqueues this hour's sweep. The job id names the hour, so every process may call this
   * every few minutes and one job per hour is written. Returns true when it enqueued.
   */
  async function scheduleSweep(): Promise<boolean> {
    const now = clock.now();
    const r = await db
      .insertInto('jobs')
      .values({ id: `maintenance.sweep:${now.toISOString().slice(0, 13)}`, kind: 'maintenance.sweep', payload: JSON.stringify({ at: now.toISOString() }), runAt: now.toISOString(), attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null, createdAt: now.toISOString() })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The sweep itself (the job's handler). Each step commits on its own: short write transactions. */
  async function sweep() {
    const removed = await files.sweep();
    const keys = await forgetOldKeys(db, clock.now());
    if (removed.rows || removed.strays || keys) deps.log(`maintenance: removed ${removed.rows} unused upload(s), ${removed.strays} stray file(s), ${keys} old idempotency key(s)`);
    return { ...removed, keys };
  }

  return { scheduleSweep, sweep };
}
export type Maintenance = ReturnType<typeof createMaintenance>;

/**
 * The production entry's scheduler: makes sure this hour's sweep is enqueued, now and every
 * `MAINTENANCE_TICK_MS`, and pokes the runner when it enqueued one.
 */
export function startMaintenance(m: Maintenance, poke: () => void, log: (msg: string) => void, everyMs = MAINTENANCE_TICK_MS) {
  const tick = () =>
    void m
      .scheduleSweep()
      .then((queued) => queued && poke())
      .catch((e: Error) => log(`maintenance scheduler: ${e.message}`));
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return { stop: () => clearInterval(timer) };
}
