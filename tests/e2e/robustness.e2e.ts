import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/ports';
import { startServer, type Running } from '../../server/main';
import { loadConfig } from '../../src/lib/server/config';
import { MemoryMailTransport } from '../../src/lib/server/adapters/mail/mail-transport';
import { createApp, setGlobalApp } from '../../src/lib/server/app';
import type { UserId } from '../../src/lib/server/kernel/ids';

/**
 * The production entry on a real socket, without a browser: body limits, bad paths, the
 * JSON API's errors, security and cache headers, and creating forms sent twice.
 */
let running: Running;
let dataDir: string;
let port: number;
let base: string;
let cookie: string;
let groupSlug: string;
const logs: string[] = [];

async function serve(env: Record<string, string>, quiet = true) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-robust-'));
  const p = await freePort();
  const config = loadConfig({ DATA_DIR: dir, PORT: String(p), HOST: '127.0.0.1', BASE_URL: `http://localhost:${p}`, SMTP_IN_PORT: '0', MAX_UPLOAD_MB: '1', ...env });
  const app = await createApp(config, { mail: new MemoryMailTransport(), log: () => {} });
  process.env.ORIGIN = config.baseUrl;
  return { dir, port: p, running: await startServer(config, { app, quiet }) };
}

/** A second server in this process takes over the page bundle's app: give it back. */
async function stopOther(s: Awaited<ReturnType<typeof serve>>) {
  await s.running.stop();
  fs.rmSync(s.dir, { recursive: true, force: true });
  setGlobalApp(Promise.resolve(running.app));
}

beforeAll(async () => {
  const s = await serve({});
  ({ running, port } = s);
  dataDir = s.dir;
  base = `http://localhost:${port}`;
  const app = running.app;
  const admin = await app.instance.setup({ associationName: 'Zinne', name: 'Anne Admin', email: 'anne@example.org', password: 'un mot de passe solide', locale: 'en' });
  const actor = await app.sessions.actorFor(admin.id as UserId);
  groupSlug = (await app.groups.create(actor, { name: 'Quartier Nord' })).slug;
  cookie = `ruche_session=${(await app.sessions.start(admin.id as UserId, 'test')).token}`;
});
afterAll(async () => {
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Raw = { head: string; body: string; error: string | null; closedAfterMs: number };

/**
 * Sends requests on one raw connection, writing `body` (a size in bytes, streamed) after the
 * head, and reads until the server closes the connection.
 */
function raw(heads: string[], bodyBytes = 0, opts: { waitMs?: number; chunked?: boolean } = {}): Promise<Raw & { text: string }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let error: string | null = null;
    const t0 = Date.now();
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('error', (e) => (error = (e as NodeJS.ErrnoException).code ?? e.message));
    s.on('close', () => {
      const last = text.lastIndexOf('HTTP/1.1 ');
      const [head, body = ''] = text.slice(last).split('\r\n\r\n');
      resolve({ text, head, body, error, closedAfterMs: Date.now() - t0 });
    });
    const timer = setTimeout(() => s.destroy(new Error('client timeout')), opts.waitMs ?? 15_000);
    s.on('close', () => clearTimeout(timer));
    for (const h of heads) s.write(h);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < bodyBytes) {
        const n = Math.min(chunk.length, bodyBytes - sent);
        sent += n;
        const piece = opts.chunked ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), chunk.subarray(0, n), Buffer.from('\r\n')]) : chunk.subarray(0, n);
        if (!s.writable) return;
        if (!s.write(piece)) return void s.once('drain', pump);
      }
      if (opts.chunked && s.writable) s.write('0\r\n\r\n');
    };
    pump();
  });
}

const formHead = (len: number | 'chunked', extra = '') =>
  `POST /groups/new HTTP/1.1\r\nHost: localhost:${port}\r\nOrigin: ${base}\r\nCookie: ${cookie}\r\nAccept: text/html\r\nAccept-Language: en\r\nContent-Type: application/x-www-form-urlencoded\r\n${len === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${len}`}\r\n${extra}\r\n`;

describe('bodies over the limit', () => {
  const big = 6 * 1024 * 1024; // the limit is 1 MB of upload + 1 MB

  it('answer a complete 413 with Connection: close, after a request on the same keep-alive connection', async () => {
    const first = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`;
    const r = await raw([first, formHead(big)], big);
    expect(r.text.match(/HTTP\/1\.1 200/g)).toHaveLength(1);
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.head.toLowerCase()).toContain('connection: close');
    const length = Number(/content-length: (\d+)/i.exec(r.head)![1]);
    expect(Buffer.byteLength(r.body, 'latin1')).toBe(length);
    expect(r.body).toContain('The file is too big (at most 1 MB).');
    expect(r.head.toLowerCase()).toContain('x-content-type-options: nosniff');
    // Closed by the server once the body was drained: no reset, no stall until a timeout.
    expect(r.error).toBeNull();
    expect(r.closedAfterMs).toBeLessThan(5000);
  });

  it('answer JSON under /api/, and refuse before the body when the client asks "100-continue"', async () => {
    const head = `POST /api/v1/discussions HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${big}\r\nExpect: 100-continue\r\n\r\n`;
    const r = await raw([head], 0);
    expect(r.text).not.toContain('100 Continue');
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'body_too_big' } });
    expect(r.error).toBeNull();
    // No body is coming: the connection closes at once, not after a wait.
    expect(r.closedAfterMs).toBeLessThan(1000);
  });

  it('close cleanly too when a chunked body grows past the limit', async () => {
    const r = await raw([formHead('chunked')], big, { chunked: true });
    expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.head.toLowerCase()).toContain('connection: close');
    expect(r.error).toBeNull();
    expect(r.closedAfterMs).toBeLessThan(8000);
  });
});

describe('bad paths and the JSON API', () => {
  it('a malformed percent-encoding is a 400 with one log line and no stack', async () => {
    const error = vi.spyOn(console, 'error');
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    try {
      const quietLess = await serve({}, false);
      try {
        const page = await fetch(`http://localhost:${quietLess.port}/d/%E0%A4%A`, { redirect: 'manual' });
        expect(page.status).toBe(400);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        const api = await fetch(`http://localhost:${quietLess.port}/api/v1/discussions/%E0%A4%A`);
        expect(api.status).toBe(400);
        expect(await api.json()).toMatchObject({ error: { code: 'bad_path' } });
        const asset = await fetch(`http://localhost:${quietLess.port}/_app/%E0%A4%A`);
        expect(asset.status).toBe(400);
      } finally {
        await stopOther(quietLess);
      }
      expect(error).not.toHaveBeenCalled();
      expect(logs.filter((l) => l.includes('malformed path'))).toHaveLength(3);
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  });

  it('every unknown path and method under /api/ answers JSON', async () => {
    for (const [method, p, status] of [
      ['GET', '/api/nothing', 404],
      ['POST', '/api/v1/nothing/here', 404],
      ['DELETE', '/api/v2', 404],
      ['PATCH', '/api/v1/openapi.json', 405],
      ['DELETE', '/api/v1/groups', 405],
    ] as const) {
      const r = await fetch(base + p, { method, headers: { cookie } });
      expect(r.status, `${method} ${p}`).toBe(status);
      expect(r.headers.get('content-type'), `${method} ${p}`).toMatch(/^application\/json/);
      const body = await r.json();
      expect(body.error.code).toBe(status === 404 ? 'not_found' : 'method_not_allowed');
      expect(typeof body.error.message).toBe('string');
      if (status === 405) expect(r.headers.get('allow')).toBeTruthy();
    }
  });
});

describe('headers', () => {
  const security = (h: Headers) => ({
    nosniff: h.get('x-content-type-options'),
    referrer: h.get('referrer-policy'),
    frames: h.get('x-frame-options'),
    coop: h.get('cross-origin-opener-policy'),
    permissions: h.get('permissions-policy'),
  });
  const expected = { nosniff: 'nosniff', referrer: 'same-origin', frames: 'DENY', coop: 'same-origin', permissions: expect.stringMatching(/camera=\(\).*geolocation=\(\).*microphone=\(\)/) };

  it('every response carries the security headers: pages, JSON, static assets, refusals', async () => {
    for (const [p, init] of [
      ['/', {}],
      ['/api/v1/me', { headers: { cookie } }],
      ['/favicon.svg', {}],
      ['/_app/version.json', {}],
      ['/service-worker.js', {}],
      ['/healthz', {}],
      ['/d/%E0%A4%A', {}],
      ['/api/nothing', {}],
    ] as const) {
      const r = await fetch(base + p, { ...init, redirect: 'manual' });
      expect(security(r.headers), p).toEqual(expected);
      expect(r.headers.get('strict-transport-security'), p).toBeNull();
    }
  });

  it('the built scripts and style sheets carry the headers that apply to them, not those of documents', async () => {
    const html = await (await fetch(base + '/')).text();
    const script = html.match(/\/_app\/immutable\/[^"]+\.js/)![0];
    const sheet = html.match(/\/_app\/immutable\/[^"]+\.css/)![0];
    // A built script that does not exist gets the same (a 404 in plain text).
    for (const [p, status] of [[script, 200], [sheet, 200], ['/_app/immutable/chunks/nothing.js', 404]] as const) {
      const r = await fetch(base + p);
      expect(r.status, p).toBe(status);
      expect(security(r.headers), p).toEqual({ nosniff: 'nosniff', referrer: 'same-origin', frames: null, coop: null, permissions: null });
    }
  });

  it('pages of a signed-in member and JSON are not stored; public pages and assets may be', async () => {
    const mine = await fetch(`${base}/groups/${groupSlug}`, { headers: { cookie } });
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
    const json = await fetch(`${base}/api/v1/groups`, { headers: { cookie } });
    expect(json.headers.get('cache-control')).toBe('private, no-store');
    const anonymousJson = await fetch(`${base}/api/v1/openapi.json`);
    expect(anonymousJson.headers.get('cache-control')).toBe('private, no-store');
    const publicPage = await fetch(`${base}/login`);
    expect(publicPage.headers.get('cache-control') ?? '').not.toContain('no-store');
    const asset = (await (await fetch(base + '/login')).text()).match(/\/_app\/immutable\/[^"]+\.js/)![0];
    expect((await fetch(base + asset)).headers.get('cache-control')).toMatch(/immutable/);
  });
});

describe('creating forms sent twice', () => {
  it('the same new-discussion form posted twice makes one discussion', async () => {
    const page = await (await fetch(`${base}/groups/${groupSlug}/discussions/new`, { headers: { cookie } })).text();
    const key = /name="key" value="([^"]+)"/.exec(page)![1];
    expect(key).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    // Another render of the form carries another key.
    const again = await (await fetch(`${base}/groups/${groupSlug}/discussions/new`, { headers: { cookie } })).text();
    expect(/name="key" value="([^"]+)"/.exec(again)![1]).not.toBe(key);
    const post = () => {
      const fd = new FormData();
      fd.set('title', 'Assemblée générale');
      fd.set('body', 'Le 12 à 19 h.');
      fd.set('key', key);
      fd.set('files', new File([], ''));
      return fetch(`${base}/groups/${groupSlug}/discussions/new`, { method: 'POST', body: fd, headers: { cookie, origin: base, accept: 'text/html' }, redirect: 'manual' });
    };
    const [a, b] = [await post(), await post()];
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
    const rows = await running.app.db.selectFrom('discussions').select('id').where('title', '=', 'Assemblée générale').execute();
    expect(rows).toHaveLength(1);
  });

  it('a JSON API call repeated with the same Idempotency-Key makes one row', async () => {
    const call = (key: string) =>
      fetch(`${base}/api/v1/discussions`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ groupSlug, title: 'Budget 2027', body: 'Premier jet.' }),
      });
    const a = await call('api-key-000000001');
    const b = await call('api-key-000000001');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await b.json()).id).toBe((await a.json()).id);
    await call('api-key-000000002');
    const rows = await running.app.db.selectFrom('discussions').select('id').where('title', '=', 'Budget 2027').execute();
    expect(rows).toHaveLength(2);
  });
});

describe('https', () => {
  it('sends HSTS when the public address is https', async () => {
    const s = await serve({ BASE_URL: 'https://ruche.example.org' });
    try {
      for (const p of ['/healthz', '/favicon.svg', '/login', '/d/%E0%A4%A']) {
        const r = await fetch(`http://localhost:${s.port}${p}`, { redirect: 'manual' });
        expect(r.headers.get('strict-transport-security'), p).toBe('max-age=31536000');
      }
    } finally {
      await stopOther(s);
    }
  });
});
