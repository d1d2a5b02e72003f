import { sql, type ExpressionBuilder, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { isInstanceAdmin, isUser, type Actor } from './actor';

/**
 * SQL twins of `group.see` and `group.read`, to filter lists inside the query so paging,
 * counts, search and feeds cannot leak. `groupIdColumn` is the column holding the group id,
 * `visibilityColumn` the column holding that group's visibility (join `groups` first).
 *
 * This one: anyone may know a group exists unless it is secret; members and instance admins always.
 */
export function groupSeenBy<DB extends Database, TB extends keyof DB>(
  actor: Actor,
  _eb: ExpressionBuilder<DB, TB>,
  groupIdColumn: string,
  visibilityColumn: string,
): Expression<SqlBool> {
  return groupFilter(actor, groupIdColumn, sql`${sql.ref(visibilityColumn)} <> 'secret'`);
}

/** Rows whose group's content the actor may read (open, or member, or instance admin). */
export function groupReadBy<DB extends Database, TB extends keyof DB>(
  actor: Actor,
  _eb: ExpressionBuilder<DB, TB>,
  groupIdColumn: string,
  visibilityColumn: string,
): Expression<SqlBool> {
  return groupFilter(actor, groupIdColumn, sql`${sql.ref(visibilityColumn)} = 'open'`);
}

/** `publicRows` for everyone, plus the actor's own groups; everything for instance admins. */
function groupFilter(actor: Actor, groupIdColumn: string, publicRows: RawBuilder<unknown>): Expression<SqlBool> {
  if (isUser(actor) && actor.isAdmin) return sql<SqlBool>`1 = 1`;
  if (!isUser(actor)) return sql<SqlBool>`${publicRows}`;
  return sql<SqlBool>`(${publicRows} OR ${sql.ref(groupIdColumn)} IN (SELECT group_id FROM memberships WHERE user_id = ${actor.userId}))`;
}

/**
 * Tasks the actor may read (`task.read`): live tasks of the groups whose content they may
 * read. `alias` names the tasks table in the query; its group is looked up by id, so no join
 * is needed.
 */
export function taskReadBy(actor: Actor, alias: string): Expression<SqlBool> {
  const live = sql<SqlBool>`${sql.ref(`${alias}.deletedAt`)} IS NULL`;
  if (isInstanceAdmin(actor)) return live;
  const open = sql`EXISTS (SELECT 1 FROM groups tg WHERE tg.id = ${sql.ref(`${alias}.groupId`)} AND tg.visibility = 'open')`;
  if (!isUser(actor)) return sql<SqlBool>`(${live} AND ${open})`;
  return sql<SqlBool>`(${live} AND (${open} OR ${sql.ref(`${alias}.groupId`)} IN (SELECT group_id FROM memberships WHERE user_id = ${actor.userId})))`;
}
