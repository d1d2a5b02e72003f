import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import type { UserId } from '../../kernel/ids';
import { parse } from '../../kernel/validate';
import { abilities, isUser, type Actor } from '../../policy';
import type { FilesService, FileView } from '../files/files.service';
import { usersById } from '../discussions/discussions.repo';
import { markRead } from '../notifications';
import { columnsOf, labelsOf } from './board';
import { loadComments, type TaskCommentView } from './comments';
import { groupMembers } from './create';
import { parseDay, showDue, storeDue, zoneOf } from './dates';
import { recurrencePreset } from './recurrence';
import { TaskRef, priorityName, type Priority } from './schemas';
import { readableTask, taskFacts, type TaskRow } from './tasks.repo';
import { cardExtras, columnView, dueView, type ColumnView, type DueView, type LabelView, type Person } from './views';

export type ChecklistItemView = { id: string; text: string; done: boolean; assignee: Person | null; due: DueView | null; position: number };
export type ActivityView = { id: string; kind: string; actor: Person | null; data: Record<string, unknown>; createdAt: string };
export type TaskView = {
  id: string;
  group: { id: string; slug: string; name: string; timeZone: string };
  title: string;
  description: string;
  descriptionHtml: string;
  priority: Priority;
  due: DueView | null;
  column: ColumnView;
  position: number;
  assignees: Person[];
  labels: LabelView[];
  author: Person;
  version: number;
  done: boolean;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  origin: { kind: 'discussion' | 'comment' | 'chat'; id: string; url: string } | null;
  recurrence: { rule: string; preset: 'weekly' | 'monthly' | 'custom' } | null;
  checklist: { total: number; done: number };
  commentCount: number;
  files: FileView[];
};

const unknown = (id: string): Person => ({ id: id as UserId, name: '?', handle: '', avatarFileId: null });

/** Where a task was made from, as a link (the origin itself checks who may open it). */
async function originOf(db: Tx, t: TaskRow): Promise<TaskView['origin']> {
  if (!t.originKind || !t.originId) return null;
  if (t.originKind === 'discussion') return { kind: 'discussion', id: t.originId, url: `/d/${t.originId}` };
  if (t.originKind === 'comment') return { kind: 'comment', id: t.originId, url: `/d/${t.originDiscussionId}?comment=${t.originId}#c-${t.originId}` };
  const m = await db.selectFrom('chatMessages').select('seq').where('id', '=', t.originId).executeTakeFirst();
  return { kind: 'chat', id: t.originId, url: `/groups/${t.group.slug}/chat?after=${Math.max(0, Number(m?.seq ?? 1) - 1)}#m-${t.originId}` };
}

/** A task as the API and pages show it. */
export async function presentTask(db: Tx, files: FilesService, t: TaskRow, now: Date): Promise<TaskView> {
  const zone = zoneOf(t.group);
  const extras = await cardExtras(db, [t.id]);
  const column = (await db.selectFrom('taskColumns').select(['id', 'name', 'preset', 'position', 'isDone']).where('id', '=', t.columnId).executeTakeFirst()) ?? { id: t.columnId, name: null, preset: null, position: 0, isDone: 0 };
  const users = await usersById(db, [t.authorId]);
  const preset = recurrencePreset(t.recurrence);
  return {
    id: t.id,
    group: { id: t.group.id, slug: t.group.slug, name: t.group.name, timeZone: zone },
    title: t.title,
    description: t.description,
    descriptionHtml: t.descriptionHtml,
    priority: priorityName(t.priority),
    due: dueView(t, zone, now),
    column: columnView(column),
    position: Number(t.position),
    assignees: extras.assignees.get(t.id) ?? [],
    labels: extras.labels.get(t.id) ?? [],
    author: (users.get(t.authorId) as Person | undefined) ?? unknown(t.authorId),
    version: Number(t.version),
    done: t.completedAt !== null,
    completedAt: t.completedAt,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    origin: await originOf(db, t),
    recurrence: t.recurrence && preset !== 'none' ? { rule: t.recurrence, preset } : null,
    checklist: { total: Number(t.checklistCount), done: Number(t.checklistDone) },
    commentCount: Number(t.commentCount),
    files: (await files.forTask(t.id)).filter((f) => !f.taskCommentId),
  };
}

/** When a checklist line becomes overdue: its time, or the end of its day in the group's time zone. */
function overdueFrom(dueAt: string, hasTime: boolean, zone: string): string {
  return hasTime ? dueAt : storeDue(parseDay(showDue(dueAt, false, zone).date)!, null, zone).overdueAt;
}

/** A task's checklist, in order. */
export async function loadChecklist(db: Tx, t: TaskRow, now: Date): Promise<ChecklistItemView[]> {
  const rows = await db.selectFrom('taskChecklistItems').selectAll().where('taskId', '=', t.id).orderBy('position').orderBy('id').execute();
  const users = await usersById(db, rows.map((r) => r.assigneeId ?? '').filter(Boolean));
  const zone = zoneOf(t.group);
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    done: Number(r.done) === 1,
    assignee: r.assigneeId ? ((users.get(r.assigneeId) as Person | undefined) ?? unknown(r.assigneeId)) : null,
    due: r.dueAt ? { ...showDue(r.dueAt, Number(r.dueHasTime) === 1, zone), at: r.dueAt, hasTime: Number(r.dueHasTime) === 1, overdue: Number(r.done) === 0 && overdueFrom(r.dueAt, Number(r.dueHasTime) === 1, zone) <= now.toISOString() } : null,
    position: Number(r.position),
  }));
}

/** The history of a task, newest first (at most 200 lines). */
export async function loadActivity(db: Tx, taskId: string): Promise<ActivityView[]> {
  const rows = await db.selectFrom('taskActivity').selectAll().where('taskId', '=', taskId).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(200).execute();
  const users = await usersById(db, rows.map((r) => r.actorId ?? '').filter(Boolean));
  return rows.map((r) => ({ id: r.id, kind: r.kind, actor: r.actorId ? ((users.get(r.actorId) as Person | undefined) ?? unknown(r.actorId)) : null, data: JSON.parse(r.data) as Record<string, unknown>, createdAt: r.createdAt }));
}

export function createTaskPage(deps: Deps, files: FilesService) {
  const { db, clock } = deps;
  return {
    /** One task (API), without changing read marks. */
    async get(actor: Actor, raw: unknown): Promise<TaskView & { checklistItems: ChecklistItemView[] }> {
      const { taskId } = parse(TaskRef, raw);
      const t = await readableTask(db, actor, taskId);
      const now = clock.now();
      return { ...(await presentTask(db, files, t, now)), checklistItems: await loadChecklist(db, t, now) };
    },

    /** A task's history (API). */
    async activity(actor: Actor, raw: unknown): Promise<{ activity: ActivityView[] }> {
      const { taskId } = parse(TaskRef, raw);
      const t = await readableTask(db, actor, taskId);
      return { activity: await loadActivity(db, t.id) };
    },

    /**
     * The task page: the task, its checklist, comments, history, what the forms offer (the
     * board's columns, the group's labels and members) and what the actor may do. Opening it
     * reads what the member was told of this task, on every device.
     */
    async open(actor: Actor, raw: unknown) {
      const { taskId } = parse(TaskRef, raw);
      const t = await readableTask(db, actor, taskId);
      const now = clock.now();
      if (isUser(actor)) {
        const userId = actor.userId;
        const told = await db.selectFrom('notifications').select('id').where('userId', '=', userId).where('subjectId', '=', t.id).where('readAt', 'is', null).limit(1).executeTakeFirst();
        if (told) await inTx(deps, (tx) => markRead(tx, userId, { subjectId: t.id }, now.toISOString(), deps.inboxLive));
      }
      const task = await presentTask(db, files, t, now);
      const comments: TaskCommentView[] = await loadComments(db, files, actor, t);
      const editable = abilities(actor, ['task.edit', 'task.delete'], taskFacts(t));
      return {
        task,
        checklist: await loadChecklist(db, t, now),
        comments,
        activity: await loadActivity(db, t.id),
        columns: await columnsOf(db, t.groupId),
        labels: await labelsOf(db, t.groupId),
        members: editable['task.edit'] ? await groupMembers(db, t.groupId) : [],
        can: { ...editable, take: editable['task.edit'] && task.assignees.length === 0 },
      };
    },
  };
}
