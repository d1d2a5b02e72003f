import type { Kysely } from 'kysely';

/**
 * Two reads of every page view that grew with the association's history:
 * - the task chips of a discussion page are looked up by the reply's id (`origin_id`, indexed
 *   since 012) or by the discussion (`origin_discussion_id`, not indexed): every discussion page
 *   read the whole tasks table;
 * - a member's latest notifications (home's "what needs you", the inbox) were found by member
 *   and then sorted: every one of the member's notifications was read on each home page. With
 *   (user_id, created_at, id) they are walked newest first and the walk stops at the page's end.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tasks_origin_discussion').on('tasks').column('origin_discussion_id').execute();
  await db.schema.createIndex('notifications_user_created').on('notifications').columns(['user_id', 'created_at', 'id']).execute();
}
