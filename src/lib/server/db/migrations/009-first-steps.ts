import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/** The administrator's first-steps checklist on home can be put away: when, or null while shown. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('instance').addColumn('checklist_dismissed_at', 'text').execute();
}
