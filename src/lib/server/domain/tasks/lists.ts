import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Deps } from '../../kernel/deps';
import { unauthenticated } from '../../kernel/errors';
import { parse } from '../../kernel/validate';
import { abilities, authorize, isUser, taskReadBy, type Actor } from '../../policy';
import type { ColumnPreset } from '../../db/schema';
import { columnsOf, labelsOf } from './board';
import { groupMembers } from './create';
import { weekAround, zoneOf } from './dates';
import { ListInput, MyTasksInput, priorityRank, type SORTS } from './schemas';
import { groupFactsOf, groupOr404 } from './tasks.repo';
import { presentCards, type CardView } from './views';

/** A card in a list: with its column (status) and group. */
export type ListItem = CardView & { column: { name: string | null; preset: ColumnPreset | null; isDone: boolean }; group: { slug: string; name: string } };

const FAR = '9999-12-31T23:59:59.999Z';
/**
 * Each sort is one text key (and the id) so lists page by keyset on either engine: the key
 * of the last row and its id are the cursor, never an OFFSET.
 */
const SORT_KEYS: Record<(typeof SORTS)[number], { key: RawBuilder<string>; desc: boolean }> = {
  due: { key: sql<string>`(COALESCE(t.due_at, ${FAR}) || '|' || CAST(t.priority AS TEXT))`, desc: false },
  priority: { key: sql<string>`(CAST(t.priority AS TEXT) || '|' || COALESCE(t.due_at, ${FAR}))`, desc: false },
  updated: { key: sql<string>`t.updated_at`, desc: true },
  created: { key: sql<string>`t.created_at`, desc: true },
  title: { key: sql<string>`LOWER(t.title)`, desc: false },
};

const encode = (key: string, id: string) => Buffer.from(JSON.stringify([key, id])).toString('base64url');
function decode(s: string | null | undefined): [string, string] | null {
  if (!s) return null;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string' ? [v[0], v[1]] : null;
  } catch {
    return null;
  }
}
const after = (key: RawBuilder<string>, desc: boolean, cursor: [string, string]) =>
  desc ? sql<SqlBool>`(${key} < ${cursor[0]} OR (${key} = ${cursor[0]} AND t.id < ${cursor[1]}))` : sql<SqlBool>`(${key} > ${cursor[0]} OR (${key} = ${cursor[0]} AND t.id > ${cursor[1]}))`;

export function createLists(deps: Deps) {
  const { db, clock } = deps;

  /** Cards with their column and group, in the given order. */
  async function items(rows: { id: string; groupId: string; columnName: string | null; columnPreset: string | null; columnDone: number; groupSlug: string; groupName: string; groupTimeZone: string | null }[], full: Parameters<typeof presentCards>[1]): Promise<ListItem[]> {
    const zones = new Map(rows.map((r) => [r.groupId, zoneOf({ timeZone: r.groupTimeZone })]));
    const cards = await presentCards(db, full, (g) => zones.get(g) ?? zoneOf({}), clock.now());
    const byId = new Map(rows.map((r) => [r.id, r]));
    return cards.map((c) => {
      const r = byId.get(c.id)!;
      return { ...c, column: { name: r.columnName, preset: r.columnPreset as ColumnPreset | null, isDone: Number(r.columnDone) === 1 }, group: { slug: r.groupSlug, name: r.groupName } };
    });
  }

  return {
    /**
     * The list view of a group's tasks: the same tasks as the board, filtered (assignee, me
     * or nobody; priority; label; due: overdue, this week in the group's time zone, or none;
     * status: open, done or a column) and sorted, keyset-paged. Filters are query parameters,
     * so links and plain forms work without JavaScript.
     */
    async list(actor: Actor, raw: unknown) {
      const input = parse(ListInput, raw);
      const g = await groupOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      const now = clock.now();
      const me = isUser(actor) ? actor.userId : '';
      const zone = zoneOf(g);
      const filters: RawBuilder<SqlBool>[] = [sql<SqlBool>`t.group_id = ${g.id}`, sql<SqlBool>`t.deleted_at IS NULL`];
      if (input.assignee === 'me') filters.push(sql<SqlBool>`EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ${me})`);
      else if (input.assignee === 'nobody') filters.push(sql<SqlBool>`NOT EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id)`);
      else if (input.assignee) filters.push(sql<SqlBool>`EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ${input.assignee})`);
      if (input.priority) filters.push(sql<SqlBool>`t.priority = ${priorityRank(input.priority)}`);
      if (input.label) filters.push(sql<SqlBool>`EXISTS (SELECT 1 FROM task_label_links l WHERE l.task_id = t.id AND l.label_id = ${input.label})`);
      if (input.due === 'overdue') filters.push(sql<SqlBool>`(t.completed_at IS NULL AND t.overdue_at <= ${now.toISOString()})`);
      else if (input.due === 'week') {
        const w = weekAround(now, zone);
        filters.push(sql<SqlBool>`(t.due_at >= ${w.start} AND t.due_at < ${w.end})`);
      } else if (input.due === 'none') filters.push(sql<SqlBool>`t.due_at IS NULL`);
      if (input.status === 'open') filters.push(sql<SqlBool>`t.completed_at IS NULL`);
      else if (input.status === 'done') filters.push(sql<SqlBool>`t.completed_at IS NOT NULL`);
      else if (input.status) filters.push(sql<SqlBool>`t.column_id = ${input.status}`);
      const where = sql.join(filters, sql` AND `);
      const { key, desc } = SORT_KEYS[input.sort];
      const cursor = decode(input.after);
      const page = sql.join([where, ...(cursor ? [after(key, desc, cursor)] : [])], sql` AND `);
      const dir = desc ? sql`DESC` : sql`ASC`;
      const rows = (
        await sql<{ id: string; sortKey: string }>`SELECT t.id, ${key} AS sort_key FROM tasks t WHERE ${page} ORDER BY ${key} ${dir}, t.id ${dir} LIMIT ${input.limit + 1}`.execute(db)
      ).rows;
      const total = Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM tasks t WHERE ${where}`.execute(db)).rows[0]?.n ?? 0);
      const shown = rows.slice(0, input.limit);
      const full = shown.length ? await db.selectFrom('tasks').selectAll().where('id', 'in', shown.map((r) => r.id)).execute() : [];
      const order = new Map(shown.map((r, i) => [r.id, i]));
      full.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const columns = await columnsOf(db, g.id);
      const colOf = new Map(columns.map((c) => [c.id, c]));
      const list = await items(
        full.map((t) => ({ id: t.id, groupId: t.groupId, columnName: colOf.get(t.columnId)?.name ?? null, columnPreset: colOf.get(t.columnId)?.preset ?? null, columnDone: colOf.get(t.columnId)?.isDone ? 1 : 0, groupSlug: g.slug, groupName: g.name, groupTimeZone: g.timeZone })),
        full,
      );
      const last = shown[shown.length - 1];
      return {
        group: { id: g.id, slug: g.slug, name: g.name, timeZone: zone },
        filters: { assignee: input.assignee ?? '', priority: input.priority ?? '', label: input.label ?? '', due: input.due ?? '', status: input.status ?? '', sort: input.sort },
        items: list,
        total,
        next: rows.length > input.limit && last ? encode(last.sortKey, last.id) : null,
        columns,
        labels: await labelsOf(db, g.id),
        members: isUser(actor) ? await groupMembers(db, g.id) : [],
        can: abilities(actor, ['task.create', 'task.columns', 'task.labels'], groupFactsOf(g)),
      };
    },

    /**
     * My tasks, across every group I may still read: the tasks assigned to me and those with
     * a checklist line assigned to me. Overdue first, then by due date (none last) and
     * priority; done ones only when asked. Keyset-paged.
     */
    async mine(actor: Actor, raw: unknown) {
      const input = parse(MyTasksInput, raw);
      if (!isUser(actor)) return unauthenticated();
      const now = clock.now().toISOString();
      const me = actor.userId;
      const key = sql<string>`((CASE WHEN t.completed_at IS NULL AND t.overdue_at <= ${now} THEN '0' ELSE '1' END) || COALESCE(t.due_at, ${FAR}) || '|' || CAST(t.priority AS TEXT))`;
      const filters: RawBuilder<SqlBool>[] = [
        sql<SqlBool>`(EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ${me}) OR EXISTS (SELECT 1 FROM task_checklist_items ci WHERE ci.task_id = t.id AND ci.assignee_id = ${me} AND ci.done = 0))`,
        sql<SqlBool>`${taskReadBy(actor, 't')}`,
      ];
      if (!input.done) filters.push(sql<SqlBool>`t.completed_at IS NULL`);
      const cursor = decode(input.after);
      if (cursor) filters.push(after(key, false, cursor));
      const rows = (
        await sql<{ id: string; sortKey: string; mine: number }>`SELECT t.id, ${key} AS sort_key, (CASE WHEN EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id AND a.user_id = ${me}) THEN 1 ELSE 0 END) AS mine
          FROM tasks t WHERE ${sql.join(filters, sql` AND `)} ORDER BY ${key}, t.id LIMIT ${input.limit + 1}`.execute(db)
      ).rows;
      const shown = rows.slice(0, input.limit);
      const ids = shown.map((r) => r.id);
      const full = ids.length
        ? await db
            .selectFrom('tasks')
            .innerJoin('groups', 'groups.id', 'tasks.groupId')
            .leftJoin('taskColumns', 'taskColumns.id', 'tasks.columnId')
            .selectAll('tasks')
            .select(['groups.slug as groupSlug', 'groups.name as groupName', 'groups.timeZone as groupTimeZone', 'taskColumns.name as columnName', 'taskColumns.preset as columnPreset', 'taskColumns.isDone as columnDone'])
            .where('tasks.id', 'in', ids)
            .execute()
        : [];
      const order = new Map(ids.map((id, i) => [id, i]));
      full.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const list = await items(full.map((r) => ({ ...r, columnDone: Number(r.columnDone ?? 0), groupTimeZone: r.groupTimeZone ?? null })), full);
      const viaChecklist = new Set(shown.filter((r) => Number(r.mine) === 0).map((r) => r.id));
      const last = shown[shown.length - 1];
      return {
        done: input.done,
        items: list.map((x) => ({ ...x, viaChecklist: viaChecklist.has(x.id) })),
        next: rows.length > input.limit && last ? encode(last.sortKey, last.id) : null,
      };
    },
  };
}
