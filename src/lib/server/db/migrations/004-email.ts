import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Email as a client: per-member and per-group notification levels, the digest schedule,
 * inbound mail already handled (so a redelivered mail never posts twice) and the
 * "this address bounces" mark on users.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema
    .createTable('email_settings')
    .addColumn('user_id', text, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('level', text, (c) => c.notNull().defaultTo('participating'))
    .addColumn('digest_hour', int, (c) => c.notNull().defaultTo(8))
    .addColumn('digest_weekday', int, (c) => c.notNull().defaultTo(1))
    .addColumn('next_digest_at', text)
    .addColumn('last_digest_at', text)
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_settings_next_digest').on('email_settings').column('next_digest_at').execute();

  await db.schema
    .createTable('email_group_prefs')
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('level', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('email_group_prefs_pk', ['user_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('email_inbound')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('message_key', text, (c) => c.notNull().unique())
    .addColumn('sender', text, (c) => c.notNull())
    .addColumn('recipient', text, (c) => c.notNull())
    .addColumn('outcome', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_inbound_sender').on('email_inbound').columns(['sender', 'created_at']).execute();

  await db.schema.alterTable('users').addColumn('mail_failing_at', text).execute();
  await db.schema.alterTable('users').addColumn('mail_failing_reason', text).execute();
}
