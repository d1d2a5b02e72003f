import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, TurnQueue } from './connect';

describe('TurnQueue', () => {
  it('hands the lock to its waiters one at a time, in the order they came', async () => {
    const q = new TurnQueue();
    const order: number[] = [];
    let inside = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await q.take();
        expect(++inside).toBe(1);
        order.push(i);
        await new Promise((r) => setImmediate(r));
        inside--;
        q.pass();
      }),
    );
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(q.waiting).toBe(0);
  });
});

describe('SQLite behind the turn queue', () => {
  it('answers thousands of concurrent queries and keeps concurrent transactions whole', async () => {
    const { db, close } = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await sql`create table counter (n integer not null)`.execute(db);
    await sql`insert into counter values (0)`.execute(db);
    const reads = Array.from({ length: 3000 }, (_, i) => sql<{ v: number }>`select ${i} as v`.execute(db).then((r) => r.rows[0].v));
    const writes = Array.from({ length: 200 }, () =>
      db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ n: number }>`select n from counter`.execute(tx);
        await new Promise((r) => setImmediate(r));
        await sql`update counter set n = ${rows[0].n + 1}`.execute(tx);
      }),
    );
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    await Promise.all(writes);
    expect((await sql<{ n: number }>`select n from counter`.execute(db)).rows[0].n).toBe(200);
    await close();
  });
});

describe('SQLite generation', () => {
  it('moves with every change, not with a read or a write of the job queue alone', async () => {
    const h = openDatabase({ kind: 'sqlite', file: ':memory:' });
    try {
      await sql`create table jobs (id integer primary key, done integer)`.execute(h.db);
      await sql`create table tasks (id integer primary key)`.execute(h.db);
      const moves = async (what: () => Promise<unknown>) => {
        const before = h.generation!();
        await what();
        return h.generation!() !== before;
      };
      expect(await moves(() => h.db.insertInto('jobs' as never).values({ id: 1, done: 0 } as never).execute())).toBe(false);
      expect(await moves(() => h.db.updateTable('jobs' as never).set({ done: 1 } as never).returning('id' as never).execute())).toBe(false);
      expect(await moves(() => h.db.selectFrom('tasks' as never).selectAll().execute())).toBe(false);
      expect(await moves(() => h.db.insertInto('tasks' as never).values({ id: 1 } as never).execute())).toBe(true);
      expect(await moves(() => h.db.transaction().execute(async (tx) => {
        await tx.updateTable('jobs' as never).set({ done: 2 } as never).execute();
        await tx.deleteFrom('tasks' as never).execute();
      }))).toBe(true);
      expect(await moves(() => h.db.deleteFrom('jobs' as never).execute())).toBe(false);
    } finally {
      await h.close();
    }
  });
});

describe.runIf(process.env.TEST_PG_URL)('PostgreSQL generation', () => {
  // A database of its own: a `jobs` table of the test's making.
  let url = '';
  const name = `ruche_generation_${process.pid}`;
  beforeAll(async () => {
    const admin = openDatabase({ kind: 'postgres', url: process.env.TEST_PG_URL! });
    await sql.raw(`drop database if exists ${name}`).execute(admin.db);
    await sql.raw(`create database ${name}`).execute(admin.db);
    await admin.close();
    url = Object.assign(new URL(process.env.TEST_PG_URL!), { pathname: `/${name}` }).toString();
  });
  afterAll(async () => {
    const admin = openDatabase({ kind: 'postgres', url: process.env.TEST_PG_URL! });
    await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
    await admin.close();
  });

  it('moves in every process after a commit that wrote, and not for reads or a rollback', async () => {
    const [a, b] = [openDatabase({ kind: 'postgres', url }), openDatabase({ kind: 'postgres', url })];
    try {
      await sql`create table if not exists generation_probe (n integer not null)`.execute(a.db);
      await sql`delete from generation_probe`.execute(a.db);
      await sql`create table jobs (id text primary key, kind text)`.execute(a.db);
      // Each listens from its first call on; wait until both do.
      for (let i = 0; i < 100 && [a.generation!(), b.generation!()].some((g) => g.startsWith('down')); i++) await new Promise((r) => setTimeout(r, 20));
      expect([a.generation!(), b.generation!()].some((g) => g.startsWith('down'))).toBe(false);
      const settle = () => new Promise((r) => setTimeout(r, 150));
      await settle();
      const moves = async (what: () => Promise<unknown>) => {
        const before = [a.generation!(), b.generation!()];
        await what();
        const atOnce = a.generation!() !== before[0];
        await settle();
        return { self: atOnce, other: b.generation!() !== before[1] };
      };
      expect(await moves(() => a.db.transaction().execute((tx) => sql`insert into generation_probe values (1)`.execute(tx)))).toEqual({ self: true, other: true });
      expect(await moves(() => sql`update generation_probe set n = 2`.execute(a.db))).toEqual({ self: true, other: true });
      expect(await moves(() => sql`with x as (update generation_probe set n = 3 returning n) select n from x`.execute(a.db))).toEqual({ self: true, other: true });
      expect(await moves(() => sql`select n from generation_probe`.execute(a.db))).toEqual({ self: false, other: false });
      expect(await moves(() => a.db.transaction().execute((tx) => sql`select n from generation_probe`.execute(tx)))).toEqual({ self: false, other: false });
      expect(await moves(() => sql`update generation_probe set n = 4 where n < 0`.execute(a.db))).toEqual({ self: false, other: false });
      // The job queue alone: a lease in a transaction, "done" outside one.
      const job = `probe-${Date.now()}`;
      await sql`insert into jobs (id, kind) values (${job}, 'probe')`.execute(a.db);
      await settle();
      expect(await moves(() => a.db.transaction().execute((tx) => tx.updateTable('jobs' as never).set({ kind: 'probe2' } as never).where('id' as never, '=', job as never).execute()))).toEqual({ self: false, other: false });
      expect(await moves(() => a.db.updateTable('jobs' as never).set({ kind: 'probe3' } as never).where('id' as never, '=', job as never).execute())).toEqual({ self: false, other: false });
      expect(await moves(() => a.db.transaction().execute(async (tx) => {
        await tx.updateTable('jobs' as never).set({ kind: 'probe4' } as never).where('id' as never, '=', job as never).execute();
        await sql`update generation_probe set n = 6`.execute(tx);
      }))).toEqual({ self: true, other: true });
      await sql`delete from jobs where id = ${job}`.execute(a.db);
      await settle();
      const failed = a.db.transaction().execute(async (tx) => {
        await sql`insert into generation_probe values (5)`.execute(tx);
        throw new Error('no');
      });
      expect(await moves(() => failed.catch(() => {}))).toEqual({ self: false, other: false });
      await sql`drop table generation_probe`.execute(a.db);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps nothing while its listening connection is down, and listens again', async () => {
    const h = openDatabase({ kind: 'postgres', url });
    try {
      const up = async () => {
        for (let i = 0; i < 200 && h.generation!().startsWith('down'); i++) await new Promise((r) => setTimeout(r, 20));
        return !h.generation!().startsWith('down');
      };
      expect(await up()).toBe(true);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen ruche_changes' and datname = current_database() and pid <> pg_backend_pid()`.execute(h.db);
      for (let i = 0; i < 50 && !h.generation!().startsWith('down'); i++) await new Promise((r) => setTimeout(r, 20));
      // Down: a new value at every call, so no kept page matches.
      expect(h.generation!()).not.toBe(h.generation!());
      expect(await up()).toBe(true);
      expect(h.generation!()).toBe(h.generation!());
    } finally {
      await h.close();
    }
  });
});
