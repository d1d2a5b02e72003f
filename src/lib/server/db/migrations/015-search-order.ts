import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Search walks its matches newest first: on SQLite, an index of the search documents by date
 * and group (with their rowid, so it alone gives both sort keys and the group to check) lets
 * a search stop after the first readable matches instead of looking up every match's
 * document (seconds for a common word at a million comments). PostgreSQL keeps its plan (the tsvector's GIN index, then a sort).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await db.schema.createIndex('search_docs_created').on('search_docs').columns(['created_at', 'group_id']).execute();
}
