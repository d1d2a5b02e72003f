import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * PostgreSQL walks a common word's matches newest first group by group: an index of the
 * search documents by group, date and rowid (the exact order of results) lets each readable group give its newest matches without
 * sorting every match (a word in one text of twenty, at a million texts: ~1 s before, tens of
 * milliseconds after). SQLite walks its (created_at, group_id) index instead (015).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') await db.schema.createIndex('search_docs_group_created').on('search_docs').columns(['group_id', 'created_at', 'rowid']).execute();
}
