import type { Kysely } from 'kysely';

/**
 * The chips of tasks made from a discussion or its replies are looked up by the reply's id
 * (`origin_id`, indexed since 012) or by the discussion (`origin_discussion_id`, not indexed):
 * every discussion page read the whole tasks table, longer as the association's tasks grow.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tasks_origin_discussion').on('tasks').column('origin_discussion_id').execute();
}
