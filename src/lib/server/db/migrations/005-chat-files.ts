import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/** Chat attachments: a file may belong to one chat message (readable by whoever may read its room). */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('files').addColumn('chat_message_id', 'text').execute();
  await db.schema.createIndex('files_chat_message').on('files').column('chat_message_id').execute();
}
