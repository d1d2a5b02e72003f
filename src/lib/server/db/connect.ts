import { CamelCasePlugin, CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type Driver, type PostgresDialectConfig, type Transaction } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './schema';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database> | Kysely<Database>;

export type DbHandle = {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
  /**
   * A value that changes whenever the database's content may have; see page-cache.ts. SQLite:
   * rows changed by this connection, or a commit by any other. PostgreSQL: a commit that wrote,
   * by this process or announced by another (`ruche_changes`).
   */
  generation?: () => string;
};

// PostgreSQL returns bigint (COUNT, bigserial) as strings by default; these stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * How long a SQLite write waits for another process's write (the server sending mail while
 * an administrator runs the CLI) before giving up with "database is locked".
 */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/**
 * SQLite transactions start with BEGIN IMMEDIATE: they take the write lock first, waiting
 * up to the busy timeout. A plain BEGIN reads first and asks for the write lock later; if
 * another process wrote meanwhile, SQLite cannot wait (the snapshot is stale) and fails at
 * once with "database is locked", whatever the busy timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    // Kysely's own lock of the one connection wakes every waiter at each release, and all but
    // one go back to waiting: with thousands waiting (WebSocket members reconnecting at once
    // after a restart) that is millions of wake-ups. This queue wakes only the next one, in
    // order, so Kysely's lock is always free when reached.
    const queue = new TurnQueue();
    const acquire = driver.acquireConnection.bind(driver);
    const release = driver.releaseConnection.bind(driver);
    driver.acquireConnection = async () => {
      await queue.take();
      return acquire();
    };
    driver.releaseConnection = async (connection: DatabaseConnection) => {
      await release(connection);
      queue.pass();
    };
    return driver;
  }
}

/** A lock that hands itself to its waiters one at a time, in the order they came. */
export class TurnQueue {
  private held = false;
  private waiters: (() => void)[] = [];
  private head = 0;
  take(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  pass() {
    if (this.head < this.waiters.length) {
      const next = this.waiters[this.head];
      this.waiters[this.head++] = undefined as never;
      if (this.head === this.waiters.length) {
        this.waiters = [];
        this.head = 0;
      }
      next();
    } else this.held = false;
  }
  get waiting() {
    return this.waiters.length - this.head;
  }
}

/**
 * Opens SQLite (WAL, foreign keys on, a busy timeout set before anything else runs, write
 * transactions that wait their turn) or PostgreSQL behind the same Kysely interface. Every
 * connection of the server, the CLI and the tests is opened here.
 */
export function openDatabase(
  spec: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string },
): DbHandle {
  if (spec.kind === 'sqlite') {
    if (spec.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(spec.file)), { recursive: true });
    // `timeout` is the busy timeout from the first statement on (switching to WAL needs a lock too).
    const sqlite = new SQLite(spec.file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Rows changed by this connection since it opened, and a counter of commits by others.
    const changes = sqlite.prepare('SELECT total_changes() AS c, data_version AS v FROM pragma_data_version').raw();
    const total = sqlite.prepare('SELECT total_changes()').pluck();
    // Rows changed by statements that write only tables no page shows (UNSEEN_TABLES).
    let unseen = 0;
    const onUnseen = (run: () => unknown) => {
      const before = total.get() as number;
      try {
        return run();
      } finally {
        unseen += (total.get() as number) - before;
      }
    };
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite, onUnseen) }), plugins: [new CamelCasePlugin()] });
    const generation = () => {
      const [c, v] = changes.get() as [number, number];
      return `${c - unseen}.${v}`;
    };
    return { db, dialect: 'sqlite', close: () => db.destroy(), generation };
  }
  const pool = new pg.Pool({ connectionString: spec.url, max: 10 });
  // An idle connection closed by the server (restart, failover, admin) must not crash the
  // process: the pool drops it and opens a new one on the next query.
  pool.on('error', (err) => console.warn(`[ruche] PostgreSQL idle connection lost: ${err.message}`));
  let watch: ReturnType<typeof watchChanges> | null = null;
  const db = new Kysely<Database>({ dialect: new AnnouncingPostgresDialect({ pool }, () => watch?.changed()), plugins: [new CamelCasePlugin()] });
  return {
    db,
    dialect: 'postgres',
    close: async () => {
      await watch?.close();
      await db.destroy();
    },
    // Listens from the first call on (a process that keeps pages); until then nothing listens.
    generation: () => (watch ??= watchChanges(spec.url)).generation(),
  };
}

/** The channel on which every write to PostgreSQL is announced at its commit. */
const CHANGES_CHANNEL = 'ruche_changes';
/** A read (which may still write through a `WITH`: see WRITING_WITH). */
const READ = /^\s*(select|with)\b/i;
/** A statement whose top-level command is a read but that writes through a `WITH … AS (INSERT|UPDATE|DELETE …)`. */
const WRITING_WITH = /^\s*with\b[\s\S]*\b(insert\s+into|update\s+\S+\s+set|delete\s+from|merge\s+into)\b/i;

/**
 * PostgreSQL, with every write announced on `ruche_changes`: a transaction that wrote
 * anything (it has a transaction id: `pg_current_xact_id_if_assigned()`) notifies just before
 * its commit, which PostgreSQL delivers at the commit and never for a rollback; a statement
 * outside a transaction that changed rows notifies right after. Writes of UNSEEN_TABLES only
 * (a transaction whose every statement is a read or such a write) are not announced. `changed` is told after the
 * commit, before the caller goes on: this process's next page sees its own write.
 */
class AnnouncingPostgresDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly changed: () => void,
  ) {
    super(config);
  }
  createDriver(): Driver {
    const driver = super.createDriver();
    const changed = this.changed;
    const inTransaction = new WeakSet<DatabaseConnection>();
    // Transactions that ran a statement other than a read or a write of UNSEEN_TABLES.
    const seen = new WeakSet<DatabaseConnection>();
    const watched = new WeakSet<DatabaseConnection>();
    const ifWrote = CompiledQuery.raw(`select pg_notify('${CHANGES_CHANNEL}', '') where pg_current_xact_id_if_assigned() is not null`);
    const now = CompiledQuery.raw(`select pg_notify('${CHANGES_CHANNEL}', '')`);
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async () => {
      const c = await acquire();
      if (!watched.has(c)) {
        watched.add(c);
        const execute = c.executeQuery.bind(c);
        c.executeQuery = (async (q: CompiledQuery) => {
          const r = await execute(q);
          const unseenWrite = UNSEEN_WRITE.test(q.sql);
          if (inTransaction.has(c)) {
            if (!unseenWrite && (!READ.test(q.sql) || WRITING_WITH.test(q.sql))) seen.add(c);
          } else if (!unseenWrite && ((r.numAffectedRows ?? 0n) > 0n || WRITING_WITH.test(q.sql))) {
            await execute(now);
            changed();
          }
          return r;
        }) as typeof c.executeQuery;
      }
      return c;
    };
    const begin = driver.beginTransaction.bind(driver);
    const commit = driver.commitTransaction.bind(driver);
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.beginTransaction = async (c, settings) => {
      await begin(c, settings);
      inTransaction.add(c);
    };
    driver.commitTransaction = async (c) => {
      // A transaction that only read and wrote UNSEEN_TABLES (a job's lease) tells nobody.
      const wrote = seen.has(c) && (await c.executeQuery(ifWrote)).rows.length > 0;
      try {
        await commit(c);
      } finally {
        inTransaction.delete(c);
        seen.delete(c);
      }
      if (wrote) changed();
    };
    driver.rollbackTransaction = async (c) => {
      try {
        await rollback(c);
      } finally {
        inTransaction.delete(c);
        seen.delete(c);
      }
    };
    return driver;
  }
}

/**
 * The generation of a PostgreSQL database as this process knows it: a counter moved by its
 * own commits (at once) and by every announcement on `ruche_changes` (another process's, a
 * few hundred microseconds after its commit). While the listening connection is down nobody
 * can tell what changed: every call gives a new value, so no kept page is served.
 */
function watchChanges(url: string) {
  let counter = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    listening = false;
    client = null;
    counter++;
    if (!closed) setTimeout(connect, 1000).unref();
  };
  function connect() {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', () => counter++);
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.connect()
      .then(() => c.query(`listen ${CHANGES_CHANNEL}`))
      .then(() => {
        if (client === c && !closed) {
          listening = true;
          counter++;
        }
      })
      .catch(() => lost(c));
  }
  connect();
  return {
    changed: () => counter++,
    generation: () => (listening ? String(counter) : `down.${++counter}`),
    async close() {
      closed = true;
      listening = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}

/**
 * Tables that no page, feed or answer shows, whose writes therefore leave every kept page
 * right (page-cache.ts): the job queue, written for every mail and push sent (a lease, then
 * "done", per job) long after the change that caused them. No trigger or cascade writes
 * elsewhere from them.
 */
export const UNSEEN_TABLES = ['jobs'] as const;
/** A statement that writes one of UNSEEN_TABLES and nothing else (as Kysely compiles them). */
const UNSEEN_WRITE = new RegExp(`^\\s*(insert\\s+into|update|delete\\s+from)\\s+"(${UNSEEN_TABLES.join('|')})"([\\s(]|$)`, 'i');

/** `stmt`, each run of which goes through `onUnseen` (which counts the rows it changed). */
function counted(stmt: SQLite.Statement, onUnseen: (run: () => unknown) => unknown): SQLite.Statement {
  for (const name of ['all', 'get', 'run'] as const) {
    const f = (stmt[name] as (...a: unknown[]) => unknown).bind(stmt);
    (stmt as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => onUnseen(() => f(...args));
  }
  return stmt;
}

/**
 * Kysely prepares every query anew; preparing costs more than running a small indexed
 * query. This keeps the most recent statements by SQL text (better-sqlite3 statements are
 * reusable, and calls are synchronous, so two uses never interleave).
 */
function withStatementCache(sqlite: SQLite.Database, onUnseen: (run: () => unknown) => unknown, max = 1000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = process.env.RUCHE_SQL_PROFILE ? timed(sqlite.prepare(source), source) : sqlite.prepare(source);
      if (UNSEEN_WRITE.test(source)) stmt = counted(stmt, onUnseen);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, stmt);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/**
 * `RUCHE_SQL_PROFILE=1`: time spent in each SQLite statement (by SQL text), printed at exit,
 * most expensive first. For benchmarks and profiling only.
 */
const spent = new Map<string, { ms: number; n: number }>();
function timed(stmt: SQLite.Statement, source: string): SQLite.Statement {
  if (spent.size === 0) process.once('exit', () => console.error([...spent].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25).map(([q, v]) => `${v.ms.toFixed(0).padStart(7)} ms ${String(v.n).padStart(7)}x  ${q.slice(0, 220)}`).join('\n')));
  const wrap = (name: 'all' | 'get' | 'run' | 'iterate') => {
    const f = (stmt as any)[name].bind(stmt);
    (stmt as any)[name] = (...args: unknown[]) => {
      const t = performance.now();
      try {
        return f(...args);
      } finally {
        const e = spent.get(source) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t;
        e.n++;
        spent.set(source, e);
      }
    };
  };
  for (const n of ['all', 'get', 'run', 'iterate'] as const) wrap(n);
  return stmt;
}

/** True when the database answers a trivial query (used by /healthz). */
export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
