import { inTx, type Deps } from '../../kernel/deps';
import { DomainError, notFound, unauthenticated } from '../../kernel/errors';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { isUser, type Actor } from '../../policy';
import { renderBody } from '../discussions/discussions.repo';
import { mentionedIds } from '../discussions/mentions';
import { indexItem, unindexTask } from '../discussions/search';
import { excerptOf, reviseNotices } from '../notifications';
import { checkAssignees, checkLabels, checkRecurrence } from './create';
import { dueFromInput, zoneOf } from './dates';
import { normalizeRecurrence } from './recurrence';
import { once } from '../../kernel/idempotency';
import { EditTaskInput, TaskAction, TaskRef, priorityName, priorityRank } from './schemas';
import { bumpVersion, checkVersion, closeGap, findTask, lockColumns, namesOf, recordActivity, taskForChange } from './tasks.repo';

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function createEdit(deps: Deps) {
  const { clock } = deps;

  return {
    /**
     * Changes any of a task's fields (title, description, priority, assignees, labels, due
     * date, recurrence), based on the version the member saw: if the task changed meanwhile
     * the whole change is refused ("changed meanwhile") and nothing is written. Each changed
     * field writes a line of history; new assignees, a new due date and new mentions are
     * told through the notification pipeline. A change that changes nothing writes nothing.
     */
    async edit(actor: Actor, raw: unknown): Promise<{ id: string; version: number; changed: string[] }> {
      const input = parse(EditTaskInput, raw);
      if (!isUser(actor)) return unauthenticated();
      return inTx(deps, async (tx) => {
        const t = await taskForChange(tx, deps.dialect, actor, input.taskId);
        checkVersion(t, input.version);
        const now = clock.now();
        const at = now.toISOString();
        const me = actor.userId;
        const changed: string[] = [];
        const set: Record<string, unknown> = {};
        const history: [string, Record<string, unknown>][] = [];
        let mentioned: string[] = [];

        if (input.title !== undefined && input.title !== t.title) {
          set.title = input.title;
          changed.push('title');
          history.push(['title', { from: t.title, to: input.title }]);
        }
        if (input.description !== undefined && input.description !== t.description) {
          set.description = input.description;
          set.descriptionHtml = input.description ? await renderBody(tx, input.description) : '';
          changed.push('description');
          history.push(['description', {}]);
          const before = new Set(await mentionedIds(tx, t.description, me));
          mentioned = (await mentionedIds(tx, input.description, me)).filter((id) => !before.has(id));
        }
        if (input.priority !== undefined && priorityRank(input.priority) !== Number(t.priority)) {
          set.priority = priorityRank(input.priority);
          changed.push('priority');
          history.push(['priority', { from: priorityName(t.priority), to: input.priority }]);
        }
        const zone = zoneOf(t.group);
        const due = dueFromInput(input.dueDate, input.dueTime, zone);
        const dueChanged = due !== undefined && ((due?.dueAt ?? null) !== t.dueAt || (due?.hasTime ?? false) !== (Number(t.dueHasTime) === 1));
        if (dueChanged) {
          Object.assign(set, { dueAt: due?.dueAt ?? null, dueHasTime: due?.hasTime ? 1 : 0, overdueAt: due?.overdueAt ?? null });
          changed.push('due');
        }
        const rule = normalizeRecurrence(input.recurrence);
        if (rule !== undefined && rule !== t.recurrence) {
          Object.assign(set, { recurrence: rule, seriesId: rule ? (t.seriesId ?? t.id) : t.seriesId });
          changed.push('recurrence');
          history.push(['recurrence', { from: t.recurrence, to: rule }]);
        }
        checkRecurrence(rule === undefined ? t.recurrence : rule, dueChanged ? (due ?? null) : t.dueAt ? { dueAt: t.dueAt, hasTime: false, overdueAt: t.overdueAt ?? t.dueAt } : null);

        const current = (await tx.selectFrom('taskAssignees').select('userId').where('taskId', '=', t.id).execute()).map((r) => r.userId);
        let added: string[] = [];
        let removed: string[] = [];
        if (input.assigneeIds !== undefined && !same(input.assigneeIds, current)) {
          const wanted = await checkAssignees(tx, t.groupId, input.assigneeIds.filter((id) => !current.includes(id)));
          added = wanted;
          removed = current.filter((id) => !input.assigneeIds!.includes(id));
          changed.push('assignees');
        }
        const currentLabels = (await tx.selectFrom('taskLabelLinks').select('labelId').where('taskId', '=', t.id).execute()).map((r) => r.labelId);
        let labelsAdded: string[] = [];
        let labelsRemoved: string[] = [];
        if (input.labelIds !== undefined && !same(input.labelIds, currentLabels)) {
          labelsAdded = await checkLabels(tx, t.groupId, input.labelIds.filter((id) => !currentLabels.includes(id)));
          labelsRemoved = currentLabels.filter((id) => !input.labelIds!.includes(id));
          changed.push('labels');
        }
        if (!changed.length) return { id: t.id, version: Number(t.version), changed };

        const version = await bumpVersion(tx, t, input.version, set, at);
        for (const [kind, data] of history) await recordActivity(tx, t.id, me, kind, data, at);
        if (dueChanged) {
          const activityId = await recordActivity(tx, t.id, me, 'due', { from: t.dueAt ? { at: t.dueAt, hasTime: Number(t.dueHasTime) === 1 } : null, to: due ? { at: due.dueAt, hasTime: due.hasTime } : null }, at);
          await recordEvent(tx, { type: 'task.due_changed', groupId: t.groupId, actorId: me, data: { taskId: t.id, activityId, dueAt: due?.dueAt ?? null } }, now);
        }
        if (added.length || removed.length) {
          if (removed.length) await tx.deleteFrom('taskAssignees').where('taskId', '=', t.id).where('userId', 'in', removed).execute();
          if (added.length) await tx.insertInto('taskAssignees').values(added.map((userId) => ({ taskId: t.id, userId, createdAt: at }))).execute();
          const names = await namesOf(tx, [...added, ...removed]);
          const activityId = await recordActivity(tx, t.id, me, 'assignees', { added: added.map((a) => names.get(a) ?? '?'), removed: removed.map((a) => names.get(a) ?? '?') }, at);
          if (added.length) await recordEvent(tx, { type: 'task.assigned', groupId: t.groupId, actorId: me, data: { taskId: t.id, userIds: added, activityId } }, now);
          if (removed.length) await recordEvent(tx, { type: 'task.unassigned', groupId: t.groupId, actorId: me, data: { taskId: t.id, userIds: removed } }, now);
        }
        if (labelsAdded.length || labelsRemoved.length) {
          if (labelsRemoved.length) await tx.deleteFrom('taskLabelLinks').where('taskId', '=', t.id).where('labelId', 'in', labelsRemoved).execute();
          if (labelsAdded.length) await tx.insertInto('taskLabelLinks').values(labelsAdded.map((labelId) => ({ taskId: t.id, labelId }))).execute();
          const names = new Map((await tx.selectFrom('taskLabels').select(['id', 'name']).where('id', 'in', [...labelsAdded, ...labelsRemoved]).execute()).map((l) => [l.id, l.name]));
          await recordActivity(tx, t.id, me, 'labels', { added: labelsAdded.map((l) => names.get(l) ?? '?'), removed: labelsRemoved.map((l) => names.get(l) ?? '?') }, at);
        }
        if (set.title !== undefined || set.description !== undefined) {
          const title = (set.title as string | undefined) ?? t.title;
          const description = (set.description as string | undefined) ?? t.description;
          await indexItem(tx, { docId: t.id, kind: 'task', groupId: t.groupId, discussionId: '', taskId: t.id, title, body: description, createdAt: t.createdAt });
          if (set.title !== undefined) await reviseNotices(tx, { subjectId: t.id }, { title });
          if (set.description !== undefined) await reviseNotices(tx, { itemId: t.id }, { excerpt: excerptOf(description) });
        }
        await recordEvent(tx, { type: 'task.edited', groupId: t.groupId, actorId: me, data: { taskId: t.id, fields: changed, mentioned } }, now);
        return { id: t.id, version, changed };
      });
    },

    /**
     * "I'll take it": the member becomes the assignee of an unassigned task, in one tap. If
     * someone took it meanwhile, the member is told ("taken meanwhile"); taking a task one
     * already has changes nothing. Repeated with the same key, it answers as the first time
     * (a late repeat never takes back a task given to someone else since).
     */
    async take(actor: Actor, raw: unknown): Promise<{ id: string; version: number }> {
      const { taskId, key } = parse(TaskAction, raw);
      if (!isUser(actor)) return unauthenticated();
      return once(deps, { userId: actor.userId, key, scope: 'task.take' }, async (tx) => {
        const t = await taskForChange(tx, deps.dialect, actor, taskId);
        const current = (await tx.selectFrom('taskAssignees').select('userId').where('taskId', '=', t.id).execute()).map((r) => r.userId);
        if (current.includes(actor.userId)) return { id: t.id, version: Number(t.version) };
        if (current.length) throw new DomainError('conflict', 'task_taken');
        await checkAssignees(tx, t.groupId, [actor.userId], 'taskId');
        const now = clock.now();
        const at = now.toISOString();
        const version = await bumpVersion(tx, t, Number(t.version), {}, at);
        await tx.insertInto('taskAssignees').values({ taskId: t.id, userId: actor.userId, createdAt: at }).execute();
        const name = (await namesOf(tx, [actor.userId])).get(actor.userId) ?? '?';
        const activityId = await recordActivity(tx, t.id, actor.userId, 'taken', { name }, at);
        await recordEvent(tx, { type: 'task.assigned', groupId: t.groupId, actorId: actor.userId, data: { taskId: t.id, userIds: [actor.userId], activityId } }, now);
        return { id: t.id, version };
      });
    },

    /** Deletes a task (its author or a group admin): gone from boards, lists, search and inboxes. */
    async remove(actor: Actor, raw: unknown): Promise<{ groupSlug: string }> {
      const { taskId } = parse(TaskRef, raw);
      return inTx(deps, async (tx) => {
        const peek = (await findTask(tx, taskId)) ?? notFound();
        await lockColumns(tx, deps.dialect, [peek.columnId]);
        const t = await taskForChange(tx, deps.dialect, actor, taskId, 'task.delete');
        if (t.columnId !== peek.columnId) throw new DomainError('conflict', 'task_changed');
        const now = clock.now();
        const by = isUser(actor) ? actor.userId : null;
        await tx.updateTable('tasks').set({ deletedAt: now.toISOString(), deletedBy: by, position: -1, version: Number(t.version) + 1, updatedAt: now.toISOString() }).where('id', '=', t.id).execute();
        await closeGap(tx, t.columnId, Number(t.position), t.id);
        await unindexTask(tx, t.id);
        await recordActivity(tx, t.id, by, 'deleted', {}, now.toISOString());
        await recordEvent(tx, { type: 'task.deleted', groupId: t.groupId, actorId: by, data: { taskId: t.id } }, now);
        return { groupSlug: t.group.slug };
      });
    },
  };
}
