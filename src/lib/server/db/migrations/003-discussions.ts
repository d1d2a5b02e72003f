import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect';

/** Pinned discussions of a group, found without scanning the group's whole list. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`CREATE INDEX discussions_group_pinned ON discussions (group_id, pinned_at) WHERE pinned_at IS NOT NULL`.execute(db);
}
