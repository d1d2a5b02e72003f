import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * SQLite walks a common word's matches newest first in each group the reader may read, merged
 * (the same index PostgreSQL has had since 016). Its (created_at, group_id) index (015) read the
 * newest texts of every group: a member of half the groups, whose groups' texts were older than
 * the others', waited for hundreds of thousands of entries of groups they cannot read.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') await db.schema.createIndex('search_docs_group_created').on('search_docs').columns(['group_id', 'created_at', 'rowid']).execute();
}
