import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { freePort } from '../support/ports';

/**
 * The compiled production entry (build/main.mjs, made by `npm run build`), as `npm start` runs
 * it: node alone, no TypeScript loader. It serves pages from a fresh data directory, answers
 * the WebSocket's upgrade, and stops cleanly on SIGTERM.
 */
let child: ChildProcess;
let dir: string;
let base: string;
let stderr = '';

beforeAll(async () => {
  expect(fs.existsSync('build/main.mjs'), 'build/main.mjs is missing: run `npm run build`').toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-entry-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' };
  delete env.NODE_OPTIONS;
  child = spawn(process.execPath, ['build/main.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (d) => (stderr += d));
  for (let i = 0; i < 200; i++) {
    if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the production entry did not start: ${stderr}`);
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('production entry (build/main.mjs)', () => {
  it('serves the first-start page of a fresh installation, in plain JavaScript', async () => {
    const res = await fetch(`${base}/`, { redirect: 'manual', headers: { 'accept-language': 'nl' } });
    // A fresh installation sends everyone to its setup page.
    expect([200, 303, 307]).toContain(res.status);
    const page = await fetch(new URL(res.headers.get('location') ?? '/', base), { headers: { 'accept-language': 'nl' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<html lang="nl"');
    const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.join(' ')).not.toContain('tsx');
  });

  it('answers a WebSocket without a session with 401, and stops on SIGTERM', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const status = await new Promise<number>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('opened without a session')));
      ws.on('error', () => {});
    });
    expect(status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/Error/);
  });
});
