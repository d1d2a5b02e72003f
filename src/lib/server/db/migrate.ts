import { sql } from 'kysely';
import type { Db, Dialect } from './connect';
import * as m001 from './migrations/001-foundation';
import * as m002 from './migrations/002-chat';
import * as m003discussions from './migrations/003-discussions';
import * as m004email from './migrations/004-email';
import * as m005chatFiles from './migrations/005-chat-files';
import * as m006mailTrust from './migrations/006-mail-trust';
import * as m007accounts from './migrations/007-accounts';
import * as m008robustness from './migrations/008-robustness';
import * as m009firstSteps from './migrations/009-first-steps';
import * as m010searchStemming from './migrations/010-search-stemming';
import * as m011notifications from './migrations/011-notifications';
import * as m012tasks from './migrations/012-tasks';
import * as m013push from './migrations/013-push';
import * as m014decide from './migrations/014-decide';
import * as m015searchOrder from './migrations/015-search-order';
import * as m016searchOrderPg from './migrations/016-search-order-pg';
import * as m017searchOrderSqlite from './migrations/017-search-order-sqlite';
import * as m018readPaths from './migrations/018-read-paths';

type Migration = { up(db: any, dialect: Dialect): Promise<void> };
/** Ordered list; a migration never changes once released, new ones are appended. */
export const migrations: [string, Migration][] = [
  ['001-foundation', m001],
  ['002-chat', m002],
  ['003-discussions', m003discussions],
  ['004-email', m004email],
  ['005-chat-files', m005chatFiles],
  ['006-mail-trust', m006mailTrust],
  ['007-accounts', m007accounts],
  ['008-robustness', m008robustness],
  ['009-first-steps', m009firstSteps],
  ['010-search-stemming', m010searchStemming],
  ['011-notifications', m011notifications],
  ['012-tasks', m012tasks],
  ['013-push', m013push],
  ['014-decide', m014decide],
  ['015-search-order', m015searchOrder],
  ['016-search-order-pg', m016searchOrderPg],
  ['017-search-order-sqlite', m017searchOrderSqlite],
  ['018-read-paths', m018readPaths],
];

/** Applies pending migrations, each in its own transaction. Returns the names applied. */
export async function migrate(db: Db, dialect: Dialect): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at text NOT NULL)`.execute(db);
  const done = new Set(
    (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(db)).rows.map((r) => r.name),
  );
  const applied: string[] = [];
  for (const [name, m] of migrations) {
    if (done.has(name)) continue;
    await db.transaction().execute(async (tx) => {
      await m.up(tx, dialect);
      await sql`INSERT INTO schema_migrations (name, applied_at) VALUES (${name}, ${new Date().toISOString()})`.execute(tx);
    });
    applied.push(name);
  }
  return applied;
}
