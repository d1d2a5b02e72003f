import type { Tx } from '../../db/connect';
import type { ColumnPreset, TasksTable } from '../../db/schema';
import type { Selectable } from 'kysely';
import type { UserId } from '../../kernel/ids';
import { showDue } from './dates';
import { LABEL_COLORS, priorityName, type Priority } from './schemas';

/** Presenters: the only shapes pages and the JSON API see of tasks. */
export type Person = { id: UserId; name: string; handle: string; avatarFileId: string | null };
export type LabelView = { id: string; name: string; color: (typeof LABEL_COLORS)[number] };
export type ColumnView = { id: string; name: string | null; preset: ColumnPreset | null; position: number; isDone: boolean };
/** A due date as read in the group's time zone, and whether it has passed. */
export type DueView = { at: string; hasTime: boolean; date: string; time: string | null; overdue: boolean };
/** What a card shows (a board carries hundreds: only what it shows). */
export type CardView = {
  id: string;
  title: string;
  priority: Priority;
  due: DueView | null;
  assignees: { id: UserId; name: string }[];
  labels: LabelView[];
  checklist: { total: number; done: number };
  commentCount: number;
  columnId: string;
  position: number;
  done: boolean;
  recurring: boolean;
  version: number;
};

type TaskLike = Pick<Selectable<TasksTable>, 'id' | 'groupId' | 'title' | 'priority' | 'dueAt' | 'dueHasTime' | 'overdueAt' | 'checklistCount' | 'checklistDone' | 'commentCount' | 'columnId' | 'position' | 'completedAt' | 'recurrence' | 'version'>;

/** A due date for display; overdue when its time (or day) has passed and the task is open. */
export function dueView(t: Pick<TaskLike, 'dueAt' | 'dueHasTime' | 'overdueAt' | 'completedAt'>, timeZone: string, now: Date): DueView | null {
  if (!t.dueAt) return null;
  const hasTime = Number(t.dueHasTime) === 1;
  const { date, time } = showDue(t.dueAt, hasTime, timeZone);
  return { at: t.dueAt, hasTime, date, time, overdue: !t.completedAt && !!t.overdueAt && t.overdueAt <= now.toISOString() };
}

export const columnView = (c: { id: string; name: string | null; preset: string | null; position: number; isDone: number }): ColumnView => ({
  id: c.id,
  name: c.name,
  preset: (c.preset as ColumnPreset | null) ?? null,
  position: Number(c.position),
  isDone: Number(c.isDone) === 1,
});

/** Assignees and labels of many tasks in two queries. */
export async function cardExtras(db: Tx, taskIds: string[]) {
  const assignees = new Map<string, Person[]>();
  const labels = new Map<string, LabelView[]>();
  for (let i = 0; i < taskIds.length; i += 500) {
    const part = taskIds.slice(i, i + 500);
    if (!part.length) continue;
    const a = await db
      .selectFrom('taskAssignees')
      .innerJoin('users', 'users.id', 'taskAssignees.userId')
      .select(['taskAssignees.taskId', 'users.id', 'users.name', 'users.handle', 'users.avatarFileId'])
      .where('taskAssignees.taskId', 'in', part)
      .orderBy('taskAssignees.createdAt')
      .execute();
    for (const r of a) assignees.set(r.taskId, [...(assignees.get(r.taskId) ?? []), { id: r.id as UserId, name: r.name, handle: r.handle, avatarFileId: r.avatarFileId }]);
    const l = await db
      .selectFrom('taskLabelLinks')
      .innerJoin('taskLabels', 'taskLabels.id', 'taskLabelLinks.labelId')
      .select(['taskLabelLinks.taskId', 'taskLabels.id', 'taskLabels.name', 'taskLabels.color'])
      .where('taskLabelLinks.taskId', 'in', part)
      .orderBy('taskLabels.name')
      .execute();
    for (const r of l) labels.set(r.taskId, [...(labels.get(r.taskId) ?? []), { id: r.id, name: r.name, color: r.color as LabelView['color'] }]);
  }
  return { assignees, labels };
}

export function presentCard(t: TaskLike, extras: { assignees: Map<string, Person[]>; labels: Map<string, LabelView[]> }, timeZone: string, now: Date): CardView {
  return {
    id: t.id,
    title: t.title,
    priority: priorityName(t.priority),
    due: dueView(t, timeZone, now),
    assignees: (extras.assignees.get(t.id) ?? []).map((p) => ({ id: p.id, name: p.name })),
    labels: extras.labels.get(t.id) ?? [],
    checklist: { total: Number(t.checklistCount), done: Number(t.checklistDone) },
    commentCount: Number(t.commentCount),
    columnId: t.columnId,
    position: Number(t.position),
    done: t.completedAt !== null,
    recurring: t.recurrence !== null,
    version: Number(t.version),
  };
}

/** Cards for task rows (assignees and labels loaded set-wise). */
export async function presentCards(db: Tx, rows: TaskLike[], zones: (groupId: string) => string, now: Date): Promise<CardView[]> {
  const extras = await cardExtras(db, rows.map((r) => r.id));
  return rows.map((r) => presentCard(r, extras, zones(r.groupId), now));
}
