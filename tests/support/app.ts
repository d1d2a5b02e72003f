import pg from 'pg';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../src/lib/server/db/migrate';
import { createApp, type App } from '../../src/lib/server/app';
import { loadConfig, type Config } from '../../src/lib/server/config';
import { openDatabase, type DbHandle } from '../../src/lib/server/db/connect';
import { ManualClock } from '../../src/lib/server/kernel/clock';
import { MemoryMailTransport } from '../../src/lib/server/adapters/mail/mail-transport';
import type { PushTransport } from '../../src/lib/server/domain/push/port';

export type Engine = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too when TEST_PG_URL points at a server (CI sets it). */
export const engines: Engine[] = process.env.TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export type TestApp = App & { clock: ManualClock; mailbox: MemoryMailTransport; cleanup(): Promise<void> };

/**
 * A fresh, migrated app per call: an in-memory SQLite database, or a brand-new PostgreSQL
 * database, so test files run in parallel without truncating anything. `beforeMigrate` gets
 * the empty database before the app migrates it (to test a migration on older data).
 */
export async function createTestApp(engine: Engine = 'sqlite', env: Record<string, string> = {}, opts: { beforeMigrate?: (h: DbHandle) => Promise<void>; push?: (config: Config) => PushTransport } = {}): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-test-'));
  let dbUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (engine === 'postgres') {
    const base = process.env.TEST_PG_URL;
    if (!base) throw new Error('TEST_PG_URL is not set');
    const name = `ruche_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    // A migrated template is copied (much faster than migrating each database); a test of a
    // migration itself starts from an empty database.
    const template = opts.beforeMigrate ? null : await migratedTemplate(base);
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config: Config = loadConfig({ DATA_DIR: dataDir, BASE_URL: 'http://localhost:3000', ...(dbUrl ? { DATABASE_URL: dbUrl } : {}), ...env });
  const handle = openDatabase(engine === 'sqlite' ? { kind: 'sqlite', file: ':memory:' } : config.database);
  await opts.beforeMigrate?.(handle);
  const clock = new ManualClock();
  const mailbox = new MemoryMailTransport();
  // With SMTP_URL in `env`, mail really leaves over SMTP (to a test sink); otherwise it stays in memory.
  const app = await createApp(config, { handle, clock, mail: env.SMTP_URL ? undefined : mailbox, log: () => {}, push: opts.push?.(config) });
  return Object.assign(app, {
    clock,
    mailbox,
    async cleanup() {
      await app.close();
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/lib/server/db');
let templateName: Promise<string> | null = null;

/**
 * The name of a PostgreSQL database migrated to the current schema, made once per schema
 * (named by a hash of the migration sources) under an advisory lock, so parallel test files
 * share it; older templates are dropped.
 */
function migratedTemplate(base: string): Promise<string> {
  templateName ??= (async () => {
    const hash = crypto.createHash('sha256');
    const files = [path.join(migrationsDir, 'migrate.ts'), ...fs.readdirSync(path.join(migrationsDir, 'migrations')).filter((f) => !f.includes('.test.')).sort().map((f) => path.join(migrationsDir, 'migrations', f))];
    for (const f of files) hash.update(f).update(fs.readFileSync(f));
    const name = `ruche_tpl_${hash.digest('hex').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(7262430)');
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) {
        // Templates of other migration sets may serve runs of other checkouts at this moment: they
        // are only cleared once several have piled up.
        const old = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ruche_tpl_%' AND datname NOT LIKE '%_new'`);
        if (old.rowCount! >= 6) for (const r of old.rows as { datname: string }[]) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
        const building = `${name}_new`;
        await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${building}`);
        const u = new URL(base);
        u.pathname = `/${building}`;
        const h = openDatabase({ kind: 'postgres', url: u.toString() });
        try {
          await migrate(h.db, h.dialect);
        } finally {
          await h.close();
        }
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(7262430)').catch(() => {});
      await admin.end();
    }
  })();
  return templateName;
}
