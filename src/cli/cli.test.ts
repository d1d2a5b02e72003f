import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../lib/server/db/connect';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs the real CLI as an admin would, in a child process. */
function ruche(...args: string[]) {
  const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('ruche CLI', () => {
  it('creates an administrator, then refuses the same email with exit code 1', async () => {
    const r = ruche('user', 'create', '--email', 'Admin@Example.org', '--name', 'Anne Admin', '--password', 'a long password', '--admin');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^Created administrator admin@example\.org \(@anne_admin/);
    const h = openDatabase({ kind: 'sqlite', file: path.join(dataDir, 'ruche.db') });
    const u = await h.db.selectFrom('users').select(['isAdmin', 'passwordHash']).where('email', '=', 'admin@example.org').executeTakeFirstOrThrow();
    await h.close();
    expect(u.isAdmin).toBe(1);
    expect(u.passwordHash).toMatch(/^\$argon2/);

    const again = ruche('user', 'create', '--email', 'admin@example.org', '--name', 'Other');
    expect(again.code).toBe(1);
    expect(again.err).toBe('error: --email: An account already uses this email.');
  }, 60_000);

  it('reports bad input (1) and usage errors (2) on one line', () => {
    const bad = ruche('user', 'create', '--email', 'nope', '--name', 'X', '--password', 'short');
    expect(bad.code).toBe(1);
    expect(bad.err.split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/--email: Enter a valid email.*--password: At least 10 characters/);
    expect(ruche('user', 'create', '--email', 'x@example.org')).toMatchObject({ code: 2, err: 'error: user create needs --email and --name' });
    expect(ruche('user', 'create', '--email', 'x@example.org', '--name', 'X', '--colour', 'red').code).toBe(2);
    expect(ruche('frobnicate').code).toBe(2);
  }, 60_000);

  it('migrates and lists its commands', () => {
    expect(ruche('migrate')).toMatchObject({ code: 0, out: 'Database is up to date' });
    const help = ruche('help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/user create --email/);
    expect(help.out).toMatch(/migrate/);
  }, 60_000);
});
