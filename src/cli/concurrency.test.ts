import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../lib/server/app';
import { loadConfig } from '../lib/server/config';
import { enqueueJob } from '../lib/server/kernel/outbox';

/**
 * An administrator runs the CLI while the server is busy sending mail on the same SQLite
 * file: every write must wait its turn (busy timeout, immediate write transactions), never
 * fail with "database is locked".
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-busy-'));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, SMTP_IN_PORT: '0' };
let worker: ChildProcess | null = null;
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function ruche(...args: string[]) {
  const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', ...args], { env: { ...env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
}

describe('the CLI beside a server sending mail', () => {
  it('loads the demo and creates a user while thousands of mails leave, without "database is locked"', async () => {
    const MAILS = 12_000;
    const app = await createApp(loadConfig(env), { log: () => {} });
    await app.db.transaction().execute(async (tx) => {
      for (let i = 0; i < MAILS; i++) await enqueueJob(tx, 'mail.send', { to: `m${i}@example.org`, subject: `n°${i}`, text: 'Bonjour', messageId: `<busy-${i}@example.org>` }, app.clock.now());
    });
    await app.close();

    const out: string[] = [];
    worker = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'tests/support/mail-worker.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout!.on('data', (d) => out.push(...String(d).split('\n').filter(Boolean)));
    worker.stderr!.on('data', (d) => out.push(...String(d).split('\n').filter(Boolean)));
    for (let i = 0; i < 600 && !out.includes('ready'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('ready');
    const mailDir = path.join(dataDir, 'mail');
    const sent = () => (fs.existsSync(mailDir) ? fs.readdirSync(mailDir).length : 0);
    for (let i = 0; i < 300 && sent() < 20; i++) await new Promise((r) => setTimeout(r, 100));

    const runs = [['demo'], ['user', 'create', '--email', 'busy@example.org', '--name', 'Busy Bee', '--password', 'a long password']];
    for (const args of runs) {
      const before = sent();
      const r = ruche(...args);
      expect(r, `${args.join(' ')}: ${r.err}`).toMatchObject({ code: 0, err: '' });
      // The command really ran while mail was leaving.
      expect(sent(), args.join(' ')).toBeGreaterThan(before);
    }
    expect(sent()).toBeLessThan(MAILS);
    expect(out.filter((l) => /locked|busy/i.test(l))).toEqual([]);
  }, 240_000);
});
