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
