import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { DomainError, invalidField, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import type { FilesService } from '../files/files.service';
import { formFiles, uploadAll } from '../discussions/attachments';
import { renderBody } from '../discussions/discussions.repo';
import { mentionedIds } from '../discussions/mentions';
import { indexItem } from '../discussions/search';
import { columnsOf, ensureBoard, labelsOf } from './board';
import { dueFromInput, zoneOf, type StoredDue } from './dates';
import { prefillFrom, resolveOrigin } from './origins';
import { normalizeRecurrence } from './recurrence';
import { CreateTaskInput, priorityRank } from './schemas';
import { groupFactsOf, groupOr404, lockColumns, membersAmong, namesOf, openGap, recordActivity, type TaskGroup } from './tasks.repo';

const CreateForm = CreateTaskInput.extend({ files: formFiles });

/** Assignees must be members of the task's group: anyone else is refused by name of the field. */
export async function checkAssignees(db: Tx, groupId: string, ids: string[] | undefined, path = 'assigneeIds'): Promise<string[]> {
  if (!ids?.length) return [];
  const ok = await membersAmong(db, groupId, ids);
  if (ok.size !== ids.length) invalidField(path, 'assignee_not_member');
  return ids;
}

/** Labels must be the group's own. */
export async function checkLabels(db: Tx, groupId: string, ids: string[] | undefined): Promise<string[]> {
  if (!ids?.length) return [];
  const known = new Set((await labelsOf(db, groupId)).map((l) => l.id));
  if (!ids.every((i) => known.has(i))) invalidField('labelIds', 'label_unknown');
  return ids;
}

/** A recurring task needs a due date: its occurrences follow from it. */
export function checkRecurrence(rule: string | null, due: StoredDue | null) {
  if (rule && !due) throw new DomainError('invalid', 'recurrence_needs_due', [{ path: 'recurrence', code: 'recurrence_needs_due' }]);
}

export function createCreate(deps: Deps, files: FilesService) {
  const { db, clock } = deps;

  return {
    /**
     * Creates a task in a group (members), at the top of the column given (the board's first
     * column by default; a task created in the done column is done), with its assignees (the
     * group's members only), labels, due date (read in the group's time zone), recurrence and
     * attachments. Made from a discussion, a comment or a chat message of the same group, it
     * links back to it. One transaction: the task, its history, its search row, its events.
     */
    async create(actor: Actor, raw: unknown): Promise<{ id: string; groupSlug: string }> {
      const input = parse(CreateForm, raw);
      const g = await groupOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      authorize(actor, 'task.create', groupFactsOf(g));
      if (!isUser(actor)) return unauthenticated();
      const zone = zoneOf(g);
      const due = dueFromInput(input.dueDate, input.dueTime, zone) ?? null;
      const rule = normalizeRecurrence(input.recurrence) ?? null;
      checkRecurrence(rule, due);
      const assignees = await checkAssignees(db, g.id, input.assigneeIds);
      const labels = await checkLabels(db, g.id, input.labelIds);
      const origin = input.from ? await resolveOrigin(db, actor, input.from, g.id) : null;
      const uploaded = await uploadAll(files, actor, input.files, g.id);
      const id = newId();
      // Sent twice with the same key: the first task, nothing written (and this try's uploads dropped).
      const first = await once(deps, { userId: actor.userId, key: input.key, scope: 'task.create' }, async (tx) => {
        const now = clock.now();
        const at = now.toISOString();
        await ensureBoard(tx, g.id, at);
        const columns = await columnsOf(tx, g.id);
        const column = input.columnId ? columns.find((c) => c.id === input.columnId) : columns.find((c) => !c.isDone);
        if (!column) return invalidField('columnId', 'column_unknown');
        await lockColumns(tx, deps.dialect, [column.id]);
        await openGap(tx, column.id, 0, id);
        const html = input.description ? await renderBody(tx, input.description) : '';
        await tx
          .insertInto('tasks')
          .values({
            id, groupId: g.id, columnId: column.id, position: 0, title: input.title, description: input.description, descriptionHtml: html, priority: priorityRank(input.priority),
            dueAt: due?.dueAt ?? null, dueHasTime: due?.hasTime ? 1 : 0, overdueAt: due?.overdueAt ?? null, authorId: actor.userId, version: 1,
            completedAt: column.isDone ? at : null, completedBy: column.isDone ? actor.userId : null, deletedAt: null, deletedBy: null,
            originKind: origin?.kind ?? null, originId: origin?.id ?? null, originDiscussionId: origin?.discussionId ?? null,
            recurrence: rule, seriesId: rule ? id : null, nextTaskId: null, commentCount: 0, checklistCount: 0, checklistDone: 0, createdAt: at, updatedAt: at,
          })
          .execute();
        if (assignees.length) await tx.insertInto('taskAssignees').values(assignees.map((userId) => ({ taskId: id, userId, createdAt: at }))).execute();
        if (labels.length) await tx.insertInto('taskLabelLinks').values(labels.map((labelId) => ({ taskId: id, labelId }))).execute();
        await files.attachTask(tx, [...input.fileIds, ...uploaded], { ownerId: actor.userId, groupId: g.id, taskId: id });
        await recordActivity(tx, id, actor.userId, 'created', origin ? { origin: { kind: origin.kind, url: origin.url } } : {}, at);
        await indexItem(tx, { docId: id, kind: 'task', groupId: g.id, discussionId: '', taskId: id, title: input.title, body: input.description, createdAt: at });
        const mentioned = input.description ? await mentionedIds(tx, input.description, actor.userId) : [];
        await recordEvent(tx, { type: 'task.created', groupId: g.id, actorId: actor.userId, data: { taskId: id, columnId: column.id, mentioned } }, now);
        if (assignees.length) {
          const names = await namesOf(tx, assignees);
          const activityId = await recordActivity(tx, id, actor.userId, 'assignees', { added: assignees.map((a) => names.get(a) ?? '?'), removed: [] }, at);
          await recordEvent(tx, { type: 'task.assigned', groupId: g.id, actorId: actor.userId, data: { taskId: id, userIds: assignees, activityId } }, now);
        }
        return id;
      }).finally(() => files.dropUnlinked(uploaded));
      return { id: first, groupSlug: g.slug };
    },

    /**
     * What the new-task form needs: the group's columns, labels and members, and, when made
     * from a discussion, comment or chat message, a title and a description quoting it.
     */
    async newTaskForm(actor: Actor, raw: { groupSlug: string; from?: string | null }) {
      const g: TaskGroup = await groupOr404(db, raw.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      authorize(actor, 'task.create', groupFactsOf(g));
      const has = await db.selectFrom('taskBoards').select('groupId').where('groupId', '=', g.id).executeTakeFirst();
      if (!has) await inTx(deps, (tx) => ensureBoard(tx, g.id, clock.now().toISOString()));
      const from = raw.from && /^(discussion|comment|chat):[0-9a-f-]{36}$/i.test(raw.from) ? raw.from : null;
      const origin = from ? await resolveOrigin(db, actor, from, g.id) : null;
      return {
        group: { id: g.id, slug: g.slug, name: g.name, timeZone: zoneOf(g) },
        columns: await columnsOf(db, g.id),
        labels: await labelsOf(db, g.id),
        members: await groupMembers(db, g.id),
        from,
        origin: origin ? { kind: origin.kind, url: origin.url, title: origin.title } : null,
        prefill: origin ? prefillFrom(origin) : null,
      };
    },
  };
}

/** The group's active members, by name (assignee pickers). */
export async function groupMembers(db: Tx, groupId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select(['users.id', 'users.name', 'users.handle', 'users.avatarFileId'])
    .where('memberships.groupId', '=', groupId)
    .where('users.disabledAt', 'is', null)
    .orderBy('users.name')
    .limit(1000)
    .execute();
}
