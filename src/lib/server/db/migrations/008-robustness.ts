import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Idempotency keys of creating writes (see kernel/idempotency.ts): one row per member and
 * key, written in the same transaction as what it created, forgotten after a few days.
 * Also an index for the sweep of uploads nothing references.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
  await db.schema.createIndex('files_created').on('files').column('created_at').execute();
}
