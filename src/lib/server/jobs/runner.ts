import { sql } from 'kysely';
import type { DbHandle } from '../db/connect';
import type { Clock } from '../kernel/clock';
import { newId } from '../kernel/ids';
import type { JobKind, JobPayloads } from '../kernel/outbox';

export type JobHandler<K extends JobKind> = (payload: JobPayloads[K], job: { id: string; attempts: number }) => Promise<void>;
/** Handlers by job kind; a process may run only some kinds (a job of another kind waits and is retried). */
export type JobHandlers = { [K in JobKind]?: JobHandler<K> };

const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 12;

/**
 * Durable job runner over the outbox table. Jobs are claimed with a lease (on PostgreSQL
 * with FOR UPDATE SKIP LOCKED) so two processes never run the same job; failures are
 * retried with exponential back-off (30 s, 1 min, 2 min … capped at 1 h).
 */
export class JobRunner {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly workerId = newId();
  private wake: (() => void) | null = null;

  constructor(
    private readonly h: DbHandle,
    private readonly clock: Clock,
    private readonly handlers: JobHandlers,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  /** Claims up to `limit` due jobs and runs them. Returns how many ran. */
  async runDue(limit = 20): Promise<number> {
    const jobs = await this.claim(limit);
    for (const job of jobs) {
      const handler = this.handlers[job.kind as JobKind] as JobHandler<JobKind> | undefined;
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(JSON.parse(job.payload), { id: job.id, attempts: job.attempts });
        await this.h.db.updateTable('jobs').set({ doneAt: this.clock.now().toISOString(), lockedUntil: null, lastError: null }).where('id', '=', job.id).execute();
      } catch (e) {
        const attempts = job.attempts;
        const delay = Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
        const giveUp = attempts >= MAX_ATTEMPTS;
        this.log(`job ${job.kind} ${job.id} failed (attempt ${attempts}): ${(e as Error).message}`);
        await this.h.db
          .updateTable('jobs')
          .set({
            lockedUntil: null,
            lockedBy: null,
            lastError: String((e as Error).message).slice(0, 1000),
            runAt: new Date(this.clock.now().getTime() + delay).toISOString(),
            doneAt: giveUp ? 'failed:' + this.clock.now().toISOString() : null,
          })
          .where('id', '=', job.id)
          .execute();
      }
    }
    return jobs.length;
  }

  /**
   * Takes a lease on up to `limit` due jobs, in one short write transaction (handlers run
   * after it, outside any transaction). An idle poll is a plain read: it takes no write lock,
   * so a CLI or another process writing to the same SQLite file is never kept waiting by it.
   */
  private async claim(limit: number) {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    const due = (q: typeof this.h.db) =>
      q
        .selectFrom('jobs')
        .where('doneAt', 'is', null)
        .where('runAt', '<=', nowIso)
        .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', nowIso)]));
    if (!(await due(this.h.db).select('id').limit(1).executeTakeFirst())) return [];
    return this.h.db.transaction().execute(async (tx) => {
      let q = due(tx)
        .select(['id', 'kind', 'payload', 'attempts'])
        .orderBy('runAt')
        .limit(limit);
      if (this.h.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return [];
      await tx
        .updateTable('jobs')
        .set({ lockedUntil: until, lockedBy: this.workerId, attempts: sql`attempts + 1` })
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
    });
  }

  /** Polls every `intervalMs` and whenever `poke()` is called (after a commit that enqueued). */
  start(intervalMs = 2000) {
    if (this.timer) return;
    const loop = async () => {
      if (this.running) return;
      this.running = true;
      try {
        while ((await this.runDue()) > 0) {}
      } catch (e) {
        this.log(`job runner: ${(e as Error).message}`);
      } finally {
        this.running = false;
      }
    };
    this.wake = () => void loop();
    this.timer = setInterval(loop, intervalMs);
    void loop();
  }

  /** Asks the runner to look now instead of at its next tick. */
  poke() {
    this.wake?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.wake = null;
  }
}
