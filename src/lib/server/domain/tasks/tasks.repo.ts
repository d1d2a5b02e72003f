import { sql } from 'kysely';
import type { Tx, Dialect } from '../../db/connect';
import type { TasksTable, Visibility } from '../../db/schema';
import type { Selectable } from 'kysely';
import { DomainError, notFound } from '../../kernel/errors';
import { isUuid, newId } from '../../kernel/ids';
import { authorize, type Actor, type GroupFacts, type TaskFacts } from '../../policy';

/** The group columns tasks need: policy facts, what pages show, its time zone. */
export type TaskGroup = { id: string; slug: string; name: string; visibility: Visibility; parentId: string | null; timeZone: string | null };
export type TaskRow = Selectable<TasksTable> & { group: TaskGroup };

const groupCols = ['groups.id', 'groups.slug', 'groups.name', 'groups.visibility', 'groups.parentId', 'groups.timeZone'] as const;

export const groupFactsOf = (g: TaskGroup): GroupFacts => ({ id: g.id, visibility: g.visibility, parentId: g.parentId });
export const taskFacts = (t: TaskRow): TaskFacts => ({ group: groupFactsOf(t.group), authorId: t.authorId, deletedAt: t.deletedAt });

/** A group by slug, with its time zone (no permission check: callers authorize). */
export async function findGroup(db: Tx, slug: string): Promise<TaskGroup | null> {
  if (typeof slug !== 'string' || slug.length > 100) return null;
  const row = await db.selectFrom('groups').select(groupCols).where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  return (row as TaskGroup | undefined) ?? null;
}
export const groupOr404 = async (db: Tx, slug: string) => (await findGroup(db, slug)) ?? notFound();

/** One task with its group, or null (deleted ones included: callers decide). */
export async function findTask(db: Tx, id: string): Promise<TaskRow | null> {
  if (!isUuid(id)) return null;
  const row = await db
    .selectFrom('tasks')
    .innerJoin('groups', 'groups.id', 'tasks.groupId')
    .selectAll('tasks')
    .select(['groups.slug as gSlug', 'groups.name as gName', 'groups.visibility as gVisibility', 'groups.parentId as gParentId', 'groups.timeZone as gTimeZone'])
    .where('tasks.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { gSlug, gName, gVisibility, gParentId, gTimeZone, ...t } = row;
  return { ...t, group: { id: t.groupId, slug: gSlug, name: gName, visibility: gVisibility, parentId: gParentId, timeZone: gTimeZone ?? null } };
}

/**
 * The task if the actor may read it; "not found" when it is hidden or missing. A deleted task
 * its reader could see answers "deleted meanwhile" (`readable` pages show it as gone).
 */
export async function readableTask(db: Tx, actor: Actor, id: string): Promise<TaskRow> {
  const t = (await findTask(db, id)) ?? notFound();
  authorize(actor, 'task.read', taskFacts(t));
  if (t.deletedAt) throw new DomainError('not_found', 'task_deleted');
  return t;
}

/**
 * The task for a change: hidden or missing is "not found", deleted meanwhile is a conflict
 * with a clear message, and then the actor must be allowed `ability`. On PostgreSQL the row
 * is locked until the transaction ends, so concurrent changes of one task run one at a time.
 */
export async function taskForChange(tx: Tx, dialect: Dialect, actor: Actor, id: string, ability: 'task.edit' | 'task.delete' = 'task.edit'): Promise<TaskRow> {
  if (dialect === 'postgres' && isUuid(id)) await sql`SELECT id FROM tasks WHERE id = ${id} FOR UPDATE`.execute(tx);
  const t = (await findTask(tx, id)) ?? notFound();
  authorize(actor, 'task.read', taskFacts(t));
  if (t.deletedAt) throw new DomainError('conflict', 'task_deleted');
  authorize(actor, ability, taskFacts(t));
  return t;
}

/** Refuses a change based on an older version: someone changed the task meanwhile. */
export function checkVersion(t: TaskRow, version: number) {
  if (Number(t.version) !== version) throw new DomainError('conflict', 'task_changed', [], { version: Number(t.version) });
}

/**
 * Takes the next version, only if the task is still at `version` (a compare-and-set): two
 * changes based on the same version cannot both pass, on either engine.
 */
export async function bumpVersion(tx: Tx, t: TaskRow, version: number, set: Partial<Selectable<TasksTable>>, now: string): Promise<number> {
  const r = await tx
    .updateTable('tasks')
    .set({ ...set, version: version + 1, updatedAt: now })
    .where('id', '=', t.id)
    .where('version', '=', version)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('conflict', 'task_changed');
  return version + 1;
}

/** Writes one line of a task's history; returns its id (notifications of the change name it). */
export async function recordActivity(tx: Tx, taskId: string, actorId: string | null, kind: string, data: Record<string, unknown>, at: string): Promise<string> {
  const id = newId();
  await tx.insertInto('taskActivity').values({ id, taskId, actorId, kind, data: JSON.stringify(data), createdAt: at }).execute();
  return id;
}

/** Ids of the group's members among `userIds` (assignees must be members). */
export async function membersAmong(db: Tx, groupId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.userId')
    .select('memberships.userId')
    .where('memberships.groupId', '=', groupId)
    .where('memberships.userId', 'in', userIds)
    .where('users.disabledAt', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.userId));
}

/** Names of users by id (for history lines and presenters). */
export async function namesOf(db: Tx, ids: string[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids)].filter(Boolean);
  if (!uniq.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The live tasks of a column get positions 0…n-1 after `from` leaves (everything after it moves up one). */
export async function closeGap(tx: Tx, columnId: string, from: number, exceptId: string) {
  await tx
    .updateTable('tasks')
    .set((eb) => ({ position: eb('position', '-', 1) }))
    .where('columnId', '=', columnId)
    .where('position', '>', from)
    .where('deletedAt', 'is', null)
    .where('id', '<>', exceptId)
    .execute();
}

/** Makes room at `at` in a column (everything from it moves down one). */
export async function openGap(tx: Tx, columnId: string, at: number, exceptId: string) {
  await tx
    .updateTable('tasks')
    .set((eb) => ({ position: eb('position', '+', 1) }))
    .where('columnId', '=', columnId)
    .where('position', '>=', at)
    .where('deletedAt', 'is', null)
    .where('id', '<>', exceptId)
    .execute();
}

/** How many live tasks a column holds. */
export async function columnSize(db: Tx, columnId: string, exceptId = ''): Promise<number> {
  const r = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('columnId', '=', columnId)
    .where('deletedAt', 'is', null)
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/**
 * Locks columns for a move or an insertion (PostgreSQL; SQLite writes one at a time), in id
 * order so two moves between the same columns never wait on each other in a circle.
 */
export async function lockColumns(tx: Tx, dialect: Dialect, columnIds: string[]) {
  if (dialect !== 'postgres') return;
  for (const id of [...new Set(columnIds)].sort()) await sql`SELECT id FROM task_columns WHERE id = ${id} FOR UPDATE`.execute(tx);
}
