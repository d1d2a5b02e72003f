import type { Config } from '../config';
import type { Db, DbHandle, Dialect, Tx } from '../db/connect';
import type { Clock } from './clock';
import { isLive, openTxContext, type RecordedEvent } from './events';
import type { SubjectVisibility } from '../domain/notifications/channel';

/** The notification step: runs on a transaction's events before it commits. */
export type EventStep = { run(tx: Tx, events: RecordedEvent[], afterCommit: (fn: () => void) => void): Promise<void> };

/** What every service receives from the composition root. No DI container: a plain object. */
export type Deps = {
  h: DbHandle;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  config: Config;
  /** Called after a commit that enqueued jobs, so mail leaves without waiting for a tick. */
  pokeJobs: () => void;
  log: (msg: string) => void;
  /** Set by the composition root: who is told of the events a transaction records. */
  notifications?: EventStep;
  /** Set by the composition root: tells a member's open pages that their inbox changed. */
  inboxLive?: { changed(userIds: string[]): void; read?(tx: Tx, userId: string, tags: string[], at: string): Promise<void> };
  /** Set by the composition root: tells every process's live pages that a group's content changed (after commit). */
  groupLive?: (groupId: string, type: string, data: Record<string, unknown>, actorId: string | null) => void;
  /** Set by the composition root: each feature's SQL for who may still read a notice's subject. */
  noticeSubjects?: SubjectVisibility;
};

/**
 * Runs `fn` in one transaction: domain rows + event + jobs commit together, or nothing does.
 * Before the commit, the events `fn` recorded go through the notification step (inbox rows,
 * mail and push jobs, in this same transaction); after it, the step's live updates leave.
 */
export async function inTx<T>(deps: Deps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let after: (() => void)[] = [];
  const out = await deps.db.transaction().execute(async (tx) => {
    const ctx = openTxContext(tx);
    after = ctx.afterCommit;
    const r = await fn(tx);
    if (ctx.events.length && deps.notifications) await deps.notifications.run(tx, ctx.events, (f) => ctx.afterCommit.push(f));
    // Live pages hear of it once committed, at once and on every process (ids only).
    for (const e of ctx.events) if (e.groupId && isLive(e.type) && deps.groupLive) ctx.afterCommit.push(() => deps.groupLive!(e.groupId!, e.type, e.data as Record<string, unknown>, e.actorId));
    return r;
  });
  deps.pokeJobs();
  for (const f of after) {
    try {
      f();
    } catch (e) {
      deps.log(`after commit: ${(e as Error).message}`);
    }
  }
  return out;
}
