import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { prepared } from './prepared';
import { insertUser } from '../domain/accounts/users';

const byHandle = prepared(['handle'], (db, p: { handle: string }) => db.selectFrom('users').select(['id', 'avatarFileId', 'disabledAt']).where('handle', '=', p.handle).where('disabledAt', 'is', null));
const namesFrom = prepared(['from', 'n'], (db, p: { from: string; n: number }) => db.selectFrom('users').select('name').where('name', '>=', p.from).orderBy('name').limit(p.n));

describe.each(engines)('prepared queries (%s)', (engine) => {
  let app: TestApp;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    app = await createTestApp(engine);
    for (const name of ['Ada', 'Bea', 'Cleo', 'Dora']) ids[name] = (await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: `${name.toLowerCase()}@example.org`, name }))).id;
  });
  afterAll(() => app.cleanup());

  it('answers each call with its own arguments, rows in camelCase as Kysely gives them', async () => {
    const handles = await app.db.selectFrom('users').select(['id', 'handle']).execute();
    for (const u of handles) {
      const row = await byHandle.first(app.db, { handle: u.handle });
      expect(row).toEqual({ id: u.id, avatarFileId: null, disabledAt: null });
    }
    expect(await byHandle.first(app.db, { handle: 'nobody' })).toBeUndefined();
    expect((await namesFrom.execute(app.db, { from: 'B', n: 2 })).map((r) => r.name)).toEqual(['Bea', 'Cleo']);
    expect((await namesFrom.execute(app.db, { from: 'C', n: 5 })).map((r) => r.name)).toEqual(['Cleo', 'Dora']);
  });

  it('runs inside the given transaction (sees its uncommitted rows, nothing after a rollback)', async () => {
    await expect(
      app.db.transaction().execute(async (tx) => {
        await tx.updateTable('users').set({ disabledAt: new Date().toISOString() }).where('id', '=', ids.Ada).execute();
        const handle = (await tx.selectFrom('users').select('handle').where('id', '=', ids.Ada).executeTakeFirstOrThrow()).handle;
        expect(await byHandle.first(tx, { handle })).toBeUndefined();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const handle = (await app.db.selectFrom('users').select('handle').where('id', '=', ids.Ada).executeTakeFirstOrThrow()).handle;
    expect((await byHandle.first(app.db, { handle }))?.id).toBe(ids.Ada);
  });

  it('refuses a query whose placeholder is not a plain value', async () => {
    const missing = prepared(['handle'], (db, _p: { handle: string }) => db.selectFrom('users').select('id').where('handle', '=', 'x'));
    await expect(missing.first(app.db, { handle: 'x' })).rejects.toThrow(/"handle" is not a parameter/);
    const inText = prepared(['col'], (db, p: { col: string }) => db.selectFrom('users').select(sql.ref<string>(p.col).as('c')));
    await expect(inText.first(app.db, { col: 'id' })).rejects.toThrow(/reached the SQL text/);
  });
});
