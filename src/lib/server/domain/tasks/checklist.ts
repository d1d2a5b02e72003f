import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { DomainError, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse, shows } from '../../kernel/validate';
import { isUser, type Actor } from '../../policy';
import { checkAssignees } from './create';
import { dueFromInput, zoneOf } from './dates';
import { CHECKLIST_MAX, ChecklistAddInput, ChecklistEditInput, ChecklistItemRef } from './schemas';
import { recordActivity, taskForChange, type TaskRow } from './tasks.repo';

/** "A checklist holds at most 200 lines", on the form's field and as the form's message. */
const full = () => new DomainError('invalid', 'checklist_full', [{ path: 'text', code: 'checklist_full', params: { max: CHECKLIST_MAX } }], { max: CHECKLIST_MAX });

/** Keeps the task's counters (shown on cards) in line with its checklist. */
async function recount(tx: Tx, taskId: string) {
  const r = await tx
    .selectFrom('taskChecklistItems')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('done').as('d')])
    .where('taskId', '=', taskId)
    .executeTakeFirst();
  await tx.updateTable('tasks').set({ checklistCount: Number(r?.n ?? 0), checklistDone: Number(r?.d ?? 0) }).where('id', '=', taskId).execute();
}

async function itemOf(tx: Tx, t: TaskRow, itemId: string) {
  return (await tx.selectFrom('taskChecklistItems').selectAll().where('id', '=', itemId).where('taskId', '=', t.id).executeTakeFirst()) ?? notFound();
}

/**
 * A task's checklist: lines with their own assignee (a member of the group) and due date.
 * Checklist changes do not take the task's version (they never overwrite what an edit of the
 * task carries), and each writes a line of history.
 */
export function createChecklist(deps: Deps) {
  const { clock } = deps;
  const changed = async (tx: Tx, t: TaskRow, actorId: string, itemId: string, data: Record<string, unknown>) => {
    const now = clock.now();
    await recount(tx, t.id);
    await tx.updateTable('tasks').set({ updatedAt: now.toISOString() }).where('id', '=', t.id).execute();
    await recordActivity(tx, t.id, actorId, 'checklist', data, now.toISOString());
    await recordEvent(tx, { type: 'task.checklist_changed', groupId: t.groupId, actorId, data: { taskId: t.id, itemId } }, now);
  };

  return {
    /**
     * Adds lines at the end: one `text` (each of its lines becomes an item, so a pasted list
     * works) or `items`. A checklist holds at most `CHECKLIST_MAX` lines: more is refused as a
     * whole, with nothing written.
     */
    async add(actor: Actor, raw: unknown): Promise<{ ids: string[] }> {
      const input = parse(ChecklistAddInput, raw);
      if (!isUser(actor)) return unauthenticated();
      // Lines that would show nothing (white space, zero-width or control characters only) are left out.
      const lines = (input.items ?? (input.text ?? '').split(/\r?\n/)).map((l) => l.trim()).filter((l) => l !== '' && shows(l));
      if (!lines.length) invalidField('text', 'required');
      if (lines.length > CHECKLIST_MAX) throw full();
      if (lines.some((l) => l.length > 500)) throw new DomainError('invalid', 'too_long', [{ path: 'text', code: 'too_long', params: { max: 500 } }], { max: 500 });
      // Sent twice with the same key: the lines added the first time, nothing written.
      return once(deps, { userId: actor.userId, key: input.key, scope: 'task_checklist.add' }, async (tx) => {
        const t = await taskForChange(tx, deps.dialect, actor, input.taskId);
        if (input.assigneeId) await checkAssignees(tx, t.groupId, [input.assigneeId], 'assigneeId');
        const due = dueFromInput(input.dueDate, input.dueTime, zoneOf(t.group)) ?? null;
        const r = await tx
          .selectFrom('taskChecklistItems')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('p')])
          .where('taskId', '=', t.id)
          .executeTakeFirst();
        const count = Number(r?.n ?? 0);
        if (count + lines.length > CHECKLIST_MAX) throw full();
        const start = r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
        const at = clock.now().toISOString();
        const rows = lines.map((text, i) => ({ id: newId(), taskId: t.id, position: start + i, text, done: 0, assigneeId: input.assigneeId ?? null, dueAt: due?.dueAt ?? null, dueHasTime: due?.hasTime ? 1 : 0, doneAt: null, doneBy: null, createdAt: at }));
        for (let i = 0; i < rows.length; i += 100) await tx.insertInto('taskChecklistItems').values(rows.slice(i, i + 100)).execute();
        await changed(tx, t, actor.userId, rows[0].id, { action: 'added', text: lines[0], count: lines.length });
        return { ids: rows.map((x) => x.id) };
      });
    },

    /** Ticks or unticks a line, renames it, or changes its assignee or due date. */
    async edit(actor: Actor, raw: unknown): Promise<{ id: string }> {
      const input = parse(ChecklistEditInput, raw);
      if (!isUser(actor)) return unauthenticated();
      return inTx(deps, async (tx) => {
        const t = await taskForChange(tx, deps.dialect, actor, input.taskId);
        const item = await itemOf(tx, t, input.itemId);
        const set: Record<string, unknown> = {};
        let action = 'edited';
        if (input.text !== undefined && input.text !== item.text) set.text = input.text;
        if (input.done !== undefined && input.done !== (Number(item.done) === 1)) {
          Object.assign(set, input.done ? { done: 1, doneAt: clock.now().toISOString(), doneBy: actor.userId } : { done: 0, doneAt: null, doneBy: null });
          action = input.done ? 'checked' : 'unchecked';
        }
        if (input.assigneeId !== undefined && (input.assigneeId || null) !== item.assigneeId) {
          if (input.assigneeId) await checkAssignees(tx, t.groupId, [input.assigneeId], 'assigneeId');
          set.assigneeId = input.assigneeId || null;
        }
        const due = dueFromInput(input.dueDate, input.dueTime, zoneOf(t.group));
        if (due !== undefined) Object.assign(set, { dueAt: due?.dueAt ?? null, dueHasTime: due?.hasTime ? 1 : 0 });
        if (!Object.keys(set).length) return { id: item.id };
        await tx.updateTable('taskChecklistItems').set(set).where('id', '=', item.id).execute();
        await changed(tx, t, actor.userId, item.id, { action, text: (set.text as string | undefined) ?? item.text });
        return { id: item.id };
      });
    },

    /** Removes a line. */
    async remove(actor: Actor, raw: unknown): Promise<{ ok: true }> {
      const input = parse(ChecklistItemRef, raw);
      if (!isUser(actor)) return unauthenticated();
      return inTx(deps, async (tx) => {
        const t = await taskForChange(tx, deps.dialect, actor, input.taskId);
        const item = await itemOf(tx, t, input.itemId);
        await tx.deleteFrom('taskChecklistItems').where('id', '=', item.id).execute();
        await changed(tx, t, actor.userId, item.id, { action: 'removed', text: item.text });
        return { ok: true as const };
      });
    },
  };
}
