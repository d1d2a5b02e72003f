import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Mail that cannot be forged: a mail that reached us in a member's name without proof that
 * it came from their mail server waits here until the member confirms it by a link sent to
 * their registered address (the raw message stays under DATA_DIR, so attachments survive).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  await db.schema
    .createTable('email_pending')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('discussion_id', text)
    .addColumn('group_id', text)
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('subject', text, (c) => c.notNull())
    .addColumn('sender', text, (c) => c.notNull())
    .addColumn('auth', text, (c) => c.notNull())
    .addColumn('files', text, (c) => c.notNull())
    .addColumn('eml', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('used_at', text)
    .addColumn('outcome', text)
    .execute();
  await db.schema.createIndex('email_pending_user').on('email_pending').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('email_pending_expires').on('email_pending').column('expires_at').execute();
}
