import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Accounts that hold: personal access tokens get a scope (read / write / admin) and an
 * optional expiry, and failed logins are throttled per (account, source), per account and
 * per source with growing delays instead of hard lock-outs.
 *
 * Tokens created before this migration become `write` tokens: they keep every member
 * ability and lose instance administration (an administrator creates an `admin` token).
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema.alterTable('access_tokens').addColumn('scope', text, (c) => c.notNull().defaultTo('write')).execute();
  await db.schema.alterTable('access_tokens').addColumn('expires_at', text).execute();
  await db.schema.createIndex('access_tokens_user').on('access_tokens').columns(['user_id', 'revoked_at']).execute();

  // One row per throttled key ("pair:…", "account:…", "source:…"): consecutive failures and
  // the last one; `account` (the email) lets a magic link clear every throttle of its account.
  await db.schema
    .createTable('login_throttles')
    .addColumn('key', text, (c) => c.primaryKey())
    .addColumn('account', text)
    .addColumn('failures', int, (c) => c.notNull())
    .addColumn('last_failure_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_throttles_account').on('login_throttles').column('account').execute();
  await db.schema.createIndex('login_throttles_last_failure').on('login_throttles').column('last_failure_at').execute();
}
