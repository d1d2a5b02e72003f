import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { DomainError, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { columnsOf } from './board';
import { spawnNext } from './recurrence';
import { MoveInput, TaskAction } from './schemas';
import { bumpVersion, checkVersion, closeGap, columnSize, findTask, lockColumns, openGap, recordActivity, taskFacts, taskForChange, type TaskRow } from './tasks.repo';
import type { ColumnView } from './views';

/** A column as history keeps it: its name then (or its preset, named in each reader's language). */
const named = (c: ColumnView | undefined) => (c ? { id: c.id, name: c.name, preset: c.preset } : null);

/**
 * The task about to move, its board's columns, and the locks a move needs, taken before the
 * task's own row (PostgreSQL): the column it leaves, the one it enters, and the first open
 * column when completing a recurring task (its next occurrence goes there). Every writer takes
 * column locks before row locks, in id order, so concurrent moves wait in line, never in a circle.
 */
async function prepareMove(tx: Tx, deps: Deps, actor: Actor, taskId: string, pick: (columns: ColumnView[]) => ColumnView) {
  const peek = (await findTask(tx, taskId)) ?? notFound();
  authorize(actor, 'task.read', taskFacts(peek));
  if (peek.deletedAt) throw new DomainError('conflict', 'task_deleted');
  authorize(actor, 'task.edit', taskFacts(peek));
  const columns = await columnsOf(tx, peek.groupId);
  const target = pick(columns);
  const firstOpen = columns.find((c) => !c.isDone);
  await lockColumns(tx, deps.dialect, [peek.columnId, target.id, ...(target.isDone && peek.recurrence && firstOpen ? [firstOpen.id] : [])]);
  const t = await taskForChange(tx, deps.dialect, actor, taskId);
  if (t.columnId !== peek.columnId) throw new DomainError('conflict', 'task_changed');
  return { t, target, columns };
}

/**
 * Moves a task (loaded and locked by `prepareMove`, in `tx`) to a column and place: the card leaves a
 * gap that closes, the target makes room, and positions stay 0…n-1 in both columns. Entering
 * the done column completes the task (and makes the next occurrence of a recurring one);
 * leaving it reopens the task. Returns the new version, or the same one when nothing moved.
 */
export async function moveTask(tx: Tx, deps: Deps, actorId: string | null, t: TaskRow, target: ColumnView, columns: ColumnView[], wanted: 'first' | 'last' | number, version: number): Promise<{ version: number; position: number; moved: boolean }> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const fresh = { columnId: t.columnId, position: t.position };
  const size = await columnSize(tx, target.id, t.id);
  const position = wanted === 'first' ? 0 : wanted === 'last' ? size : Math.min(wanted, size);
  if (fresh.columnId === target.id && Number(fresh.position) === position) return { version, position, moved: false };
  await closeGap(tx, fresh.columnId, Number(fresh.position), t.id);
  await openGap(tx, target.id, position, t.id);
  const from = columns.find((c) => c.id === fresh.columnId);
  const completing = target.isDone && !t.completedAt;
  const reopening = !target.isDone && !!t.completedAt;
  const next = await bumpVersion(
    tx,
    t,
    version,
    { columnId: target.id, position, ...(completing ? { completedAt: at, completedBy: actorId } : {}), ...(reopening ? { completedAt: null, completedBy: null } : {}) },
    at,
  );
  if (fresh.columnId !== target.id) {
    const activityId = await recordActivity(tx, t.id, actorId, 'status', { from: named(from), to: named(target) }, at);
    if (completing) {
      await recordEvent(tx, { type: 'task.completed', groupId: t.groupId, actorId, data: { taskId: t.id, activityId } }, now);
      const done = await findTask(tx, t.id);
      if (done) await spawnNext(tx, deps.dialect, done, now);
    }
    if (reopening) await recordEvent(tx, { type: 'task.reopened', groupId: t.groupId, actorId, data: { taskId: t.id } }, now);
  }
  await recordEvent(tx, { type: 'task.moved', groupId: t.groupId, actorId, data: { taskId: t.id, columnId: target.id, fromColumnId: fresh.columnId, position, version: next } }, now);
  return { version: next, position, moved: true };
}

export function createMove(deps: Deps) {
  return {
    /**
     * Moves a card to a column of its own board, at a place (0 = top, or 'first' / 'last'):
     * one transaction, based on the version the member saw. Two people moving the same card
     * at once: the first move wins, the second is told the card changed meanwhile (with the
     * current state); moves of different cards keep every column's order consistent. A column
     * of another group is refused as unknown. Repeated with the same key (a device outbox
     * whose answer was lost), it answers as the first time and moves nothing.
     */
    async move(actor: Actor, raw: unknown): Promise<{ id: string; version: number; columnId: string; position: number }> {
      const input = parse(MoveInput, raw);
      if (!isUser(actor)) return unauthenticated();
      return once(deps, { userId: actor.userId, key: input.key, scope: 'task.move' }, async (tx) => {
        const { t, target, columns } = await prepareMove(tx, deps, actor, input.taskId, (cs) => cs.find((c) => c.id === input.columnId) ?? invalidField('columnId', 'column_unknown'));
        checkVersion(t, input.version);
        const r = await moveTask(tx, deps, actor.userId, t, target, columns, input.position, input.version);
        return { id: t.id, version: r.version, columnId: target.id, position: r.position };
      });
    },

    /**
     * Marks a task done: to the top of the done column, whatever version the member saw (the
     * intent is unambiguous). Done already: nothing changes. Used by "Mark as done" buttons
     * and one-click mail links. Repeated with the same key, it answers as the first time, even
     * if the task was reopened in between (a late repeat never completes it again).
     */
    async complete(actor: Actor, raw: unknown): Promise<{ id: string; version: number; already: boolean }> {
      const { taskId, key } = parse(TaskAction, raw);
      if (!isUser(actor)) return unauthenticated();
      return once(deps, { userId: actor.userId, key, scope: 'task.complete' }, async (tx) => {
        const { t, target: done, columns } = await prepareMove(tx, deps, actor, taskId, (cs) => cs.find((c) => c.isDone) ?? invalidField('taskId', 'column_unknown'));
        if (t.completedAt) return { id: t.id, version: Number(t.version), already: true };
        const r = await moveTask(tx, deps, actor.userId, t, done, columns, 'first', Number(t.version));
        return { id: t.id, version: r.version, already: false };
      });
    },
  };
}
