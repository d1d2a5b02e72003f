import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { isUser, type Actor } from './actor';

/**
 * SQL twins of `group.see` and `group.read`, to filter lists inside the query so paging,
 * counts, search and feeds cannot leak. `groupIdColumn` is the column holding the group id,
 * `visibilityColumn` the column holding that group's visibility (join `groups` first).
 */
export function groupSeenBy<DB extends Database, TB extends keyof DB>(
  actor: Actor,
  eb: ExpressionBuilder<DB, TB>,
  groupIdColumn: string,
  visibilityColumn: string,
): Expression<SqlBool> {
  if (isUser(actor) && actor.isAdmin) return sql<SqlBool>`1 = 1`;
  const vis = sql.ref(visibilityColumn);
  if (!isUser(actor)) return sql<SqlBool>`${vis} <> 'secret'`;
  return sql<SqlBool>`(${vis} <> 'secret' OR ${sql.ref(groupIdColumn)} IN (SELECT group_id FROM memberships WHERE user_id = ${actor.userId}))`;
}

/** Rows whose group's content the actor may read (open, or member, or instance admin). */
export function groupReadBy<DB extends Database, TB extends keyof DB>(
  actor: Actor,
  eb: ExpressionBuilder<DB, TB>,
  groupIdColumn: string,
  visibilityColumn: string,
): Expression<SqlBool> {
  if (isUser(actor) && actor.isAdmin) return sql<SqlBool>`1 = 1`;
  const vis = sql.ref(visibilityColumn);
  if (!isUser(actor)) return sql<SqlBool>`${vis} = 'open'`;
  return sql<SqlBool>`(${vis} = 'open' OR ${sql.ref(groupIdColumn)} IN (SELECT group_id FROM memberships WHERE user_id = ${actor.userId}))`;
}
