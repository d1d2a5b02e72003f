import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
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

describe.runIf(process.env.TEST_PG_URL)('PostgreSQL generation', () => {
  it('moves in every process after a commit that wrote, and not for reads or a rollback', async () => {
    const url = process.env.TEST_PG_URL!;
    const [a, b] = [openDatabase({ kind: 'postgres', url }), openDatabase({ kind: 'postgres', url })];
    try {
      await sql`create table if not exists generation_probe (n integer not null)`.execute(a.db);
      await sql`delete from generation_probe`.execute(a.db);
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
    const url = process.env.TEST_PG_URL!;
    const h = openDatabase({ kind: 'postgres', url });
    try {
      const up = async () => {
        for (let i = 0; i < 200 && h.generation!().startsWith('down'); i++) await new Promise((r) => setTimeout(r, 20));
        return !h.generation!().startsWith('down');
      };
      expect(await up()).toBe(true);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen ruche_changes' and pid <> pg_backend_pid()`.execute(h.db);
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
