/**
 * The leak matrix: visitor / non-member / member / group admin / instance admin × open /
 * closed / secret groups × every page, form action and JSON API route. Every field of every
 * object carries a unique marker (matrix/world.ts); the policy says who may see each one
 * (matrix/markers.ts). For each actor the walk asserts that every response shows only markers
 * the actor is allowed, that the walk as a whole shows every one they are allowed, that each
 * GET answers the status the policy implies, and that whatever is hidden answers exactly like
 * a thing that does not exist (status and body). The routes come from src/routes and the
 * OpenAPI document: a route the matrix does not visit fails it. One server, seeded once.
 */
import { freePort } from '../support/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type Running } from '../../server/main';
import { loadConfig } from '../../src/lib/server/config';
import { createApp } from '../../src/lib/server/app';
import { MemoryMailTransport } from '../../src/lib/server/adapters/mail/mail-transport';
import { can } from '../../src/lib/server/policy';
import { openApiSurfaces, routeSurfaces } from './matrix/inventory';
import { markersOf, type Marker } from './matrix/markers';
import { routeTable, type RouteSpec, type Target, type Write } from './matrix/routes';
import { ACTORS, mk, seedWorld, VISIBILITIES, type ActorName, type World } from './matrix/world';
import type { UserId } from '../../src/lib/server/kernel/ids';

let running: Running;
let dataDir: string;
let world: World;
let markers: Marker[];
let table: Record<string, RouteSpec>;
let surfaces: Set<string>;
let openApi: Set<string>;
let voterCookies: Record<string, string>;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-matrix-'));
  const port = await freePort();
  const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' });
  const app = await createApp(config, { mail: new MemoryMailTransport(), log: () => {} });
  world = await seedWorld(app);
  voterCookies = Object.fromEntries(await Promise.all(VISIBILITIES.map(async (v) => [v, `ruche_session=${(await app.sessions.start(world.groups[v].decide.voter.id as UserId)).token}`])));
  markers = markersOf(world);
  table = routeTable(world);
  process.env.ORIGIN = config.baseUrl;
  running = await startServer(config, { app, quiet: true });
  surfaces = await routeSurfaces();
  openApi = openApiSurfaces(JSON.parse((await send('visitor', 'GET', '/api/v1/openapi.json')).body));
});
afterAll(async () => {
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Reply = { status: number; body: string };
async function send(who: ActorName, method: string, url: string, payload?: { json?: unknown; form?: Record<string, string> }): Promise<Reply> {
  const headers: Record<string, string> = { 'accept-language': 'fr' };
  if (world.cookies[who]) headers.cookie = world.cookies[who];
  let body: string | undefined;
  if (payload?.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(payload.json);
  } else if (payload?.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = running.url;
    body = new URLSearchParams(payload.form).toString();
  }
  const res = await fetch(running.url + url, { method, headers, body, redirect: 'manual' });
  // A file's name travels in a header: it is part of what the actor is shown. CSP nonces change on every page.
  // The navigation's unread counts move while the walk reads chats and discussions: not a leak, left out of the comparison.
  const text = (await res.text())
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/<span class="badge" data-testid="chats-unread"><span aria-hidden="true">\d+<\/span><span class="sr-only">[^<]*<\/span><\/span>/g, '')
    .replace(/<span class="badge" aria-hidden="true" data-testid="bell-count">[^<]*<\/span>/g, '')
    .replace(/aria-label="[^"]*"(\s+data-testid="bell")/g, '$1')
    .replace(/<!--\[-?\d+-->/g, '<!--[-->');
  return { status: res.status, body: `${text}\n${res.headers.get('content-disposition') ?? ''}\n${res.headers.get('location') ?? ''}` };
}

const urlOf = (route: string, t: Target) => route.replace(/\[(\w+)\]/g, (_, k: string) => t.params[k]) + (t.query ?? '');
const swapped = (s: string, t: Target) => t.swap.reduce((acc, [real, fake]) => acc.split(real).join(fake), s);
/** Where two answers first differ, to say what a hidden thing's answer gives away. */
const firstDifference = (a: string, b: string) => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `…${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
};
const asMissing = <T>(v: T, t: Target): T => JSON.parse(swapped(JSON.stringify(v), t));

/** Runs the requests a few at a time: the server answers while the walk checks. */
async function pool(jobs: (() => Promise<void>)[], width = 6) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
}

/** Splits a surface `POST /groups/[slug]?/join` into the route and the write's key in the table (`POST ?/join`). */
function parseSurface(s: string) {
  const [method, rest] = s.split(' ');
  const [route, action] = rest.split('?/');
  return { method, route, key: action ? `${method} ?/${action}` : method };
}

describe('the matrix knows every route', () => {
  it('visits every page, form action and endpoint of src/routes, and every operation of the OpenAPI document', () => {
    const missing = [...new Set([...surfaces, ...openApi])].filter((s) => {
      const { method, route, key } = parseSurface(s);
      const spec = table[route];
      return !spec || (method !== 'GET' && !spec.writes?.[key]);
    });
    expect(missing, 'routes the matrix does not visit (add them to tests/e2e/matrix/routes.ts)').toEqual([]);
    const api = [...surfaces].filter((s) => s.includes(' /api/v1/') && !s.endsWith('/openapi.json'));
    expect(api.filter((s) => !openApi.has(s)), 'API routes missing from the OpenAPI document').toEqual([]);
    const stale = Object.keys(table).filter((r) => ![...surfaces].some((s) => parseSurface(s).route === r));
    expect(stale, 'routes of the matrix that no longer exist').toEqual([]);
  });
});

describe('every actor sees exactly what the policy allows', () => {
  for (const who of ACTORS) {
    it(`${who}: pages and API reads`, async () => {
      const actor = world.actors[who];
      const problems: string[] = [];
      const seen = new Set<string>();
      const check = (what: string, body: string) => {
        for (const m of markers) {
          if (!m.test(body)) continue;
          seen.add(m.name);
          if (!m.who(actor)) problems.push(`${what} shows ${m.name}`);
        }
      };
      const jobs: (() => Promise<void>)[] = [];
      for (const s of [...surfaces].filter((x) => x.startsWith('GET ')).sort()) {
        const { route } = parseSurface(s);
        for (const t of table[route].targets(world)) {
          if (t.probeOnly) continue;
          const url = urlOf(route, t);
          jobs.push(async () => {
            const res = await send(who, 'GET', url);
            check(`GET ${url}`, res.body);
            const want = t.status(actor);
            if (res.status !== want) problems.push(`GET ${url} answered ${res.status}, the policy says ${want}`);
            if (t.hidden(actor) && t.swap.length) {
              let real = res;
              let missing = await send(who, 'GET', asMissing(url, t));
              // Unread counts in the page data move while other requests of the walk read chats:
              // a difference must hold when both are asked again back to back.
              for (let i = 0; i < 3 && (missing.status !== real.status || swapped(real.body, t) !== missing.body); i++) {
                real = await send(who, 'GET', url);
                missing = await send(who, 'GET', asMissing(url, t));
              }
              const res2 = real;
              if (missing.status !== res2.status || swapped(res2.body, t) !== missing.body) problems.push(`GET ${url} (hidden) does not answer like a missing thing (${res2.status} / ${missing.status}): ${firstDifference(swapped(res2.body, t), missing.body)}`);
            }
          });
        }
      }
      await pool(jobs);
      const allowed = markers.filter((m) => m.who(actor)).map((m) => m.name);
      expect(problems.join('\n')).toBe('');
      expect([...seen].sort(), 'markers shown over the whole walk').toEqual(allowed.sort());
    });
  }
});

describe('a page kept by the page cache never repeats a value made for one render', () => {
  // A value made for each render (a nonce, a form key) that the page cache did not renew would
  // come back identical in two copies of a kept page: two tabs would share it. Two copies of
  // each page are compared with two fresh renders: a long token that both copies carry and
  // neither fresh render does was made for the render they were kept from.
  for (const who of ['groupAdmin', 'visitor'] as const) {
    it(`${who}: every page`, async () => {
      const raw = async (url: string, fresh = false) => {
        const headers: Record<string, string> = { 'accept-language': 'fr', ...(fresh ? { 'cache-control': 'no-cache' } : {}) };
        if (world.cookies[who]) headers.cookie = world.cookies[who];
        const res = await fetch(running.url + url, { headers, redirect: 'manual' });
        return { status: res.status, body: await res.text() };
      };
      const tokens = (body: string) => new Set(body.match(/[A-Za-z0-9_+/-]{20,}={0,2}/g) ?? []);
      const repeated: string[] = [];
      let kept = 0;
      const hits = () => running.app.pages!.stats().hits;
      for (const s of [...surfaces].filter((x) => x.startsWith('GET ')).sort()) {
        const { route } = parseSurface(s);
        if (route.startsWith('/api/')) continue;
        for (const t of table[route].targets(world)) {
          if (t.probeOnly || t.status(world.actors[who]) !== 200) continue;
          const url = urlOf(route, t);
          const [a, b] = [await raw(url, true), await raw(url, true)];
          if (a.status !== 200) continue;
          await raw(url);
          const before = hits();
          const [k1, k2] = [await raw(url), await raw(url)];
          if (hits() - before === 2) kept++;
          const fresh = new Set([...tokens(a.body), ...tokens(b.body)]);
          const k2Tokens = tokens(k2.body);
          for (const x of tokens(k1.body)) if (k2Tokens.has(x) && !fresh.has(x)) repeated.push(`${url}: ${x}`);
        }
      }
      expect(repeated).toEqual([]);
      // The walk did go through kept copies.
      expect(kept).toBeGreaterThan(10);
    });
  }
});

describe('an anonymous vote never reveals its voter', () => {
  it('on the poll’s page and API, the group’s polls, decisions and feed, for every actor; the voter learns they voted, not what', async () => {
    const problems: string[] = [];
    for (const who of ACTORS)
      for (const vis of VISIBILITIES) {
        const g = world.groups[vis];
        const { anonPollId, voter } = g.decide;
        for (const url of [`/polls/${anonPollId}`, `/api/v1/polls/${anonPollId}`, `/groups/${g.slug}/polls`, `/api/v1/polls?group=${g.slug}`, `/groups/${g.slug}/decisions`, `/calendar/groups/${g.slug}`]) {
          const res = await send(who, 'GET', url);
          for (const s of [mk(vis, 'anonvoter'), voter.handle, voter.id]) if (res.body.includes(s)) problems.push(`${who}: GET ${url} shows the anonymous voter (${s})`);
        }
      }
    expect(problems).toEqual([]);
    for (const vis of VISIBILITIES) {
      const res = await fetch(`${running.url}/api/v1/polls/${world.groups[vis].decide.anonPollId}`, { headers: { cookie: voterCookies[vis] } });
      const poll = (await res.json()) as { choice: { voted: boolean; mine: string[]; voters: unknown[]; voterCount: number } };
      expect(poll.choice).toMatchObject({ voted: true, mine: [], voters: [], voterCount: 1 });
    }
  });
});

describe('writes to hidden things answer like writes to missing ones', () => {
  for (const who of ACTORS) {
    it(`${who}: every API method and form action`, async () => {
      const actor = world.actors[who];
      const problems: string[] = [];
      const jobs: (() => Promise<void>)[] = [];
      for (const s of [...surfaces].filter((x) => !x.startsWith('GET ')).sort()) {
        const { method, route, key } = parseSurface(s);
        const spec = table[route];
        const write = spec.writes?.[key] as Write;
        if (typeof write === 'string') continue;
        const action = s.includes('?/') ? `?/${s.split('?/')[1]}` : '';
        for (const t of spec.targets(world)) {
          const hidden = t.g ? !can(actor, write.bySee ? 'group.see' : 'group.read', t.g.facts) : t.hidden(actor);
          if (!hidden || !t.swap.length) continue;
          const url = urlOf(route, { ...t, query: undefined }) + action;
          const payload = route.startsWith('/api/') ? { json: write.json?.(t) ?? {} } : { form: write.form?.(t) ?? {} };
          jobs.push(async () => {
            const res = await send(who, method, url, payload);
            const missing = await send(who, method, asMissing(url, t), asMissing(payload, t));
            for (const m of markers) if (m.test(res.body) && !m.who(actor)) problems.push(`${method} ${url} shows ${m.name}`);
            if (missing.status !== res.status || swapped(res.body, t) !== missing.body) problems.push(`${method} ${url} (hidden) answers ${res.status}, a missing thing ${missing.status}${missing.status === res.status ? ' (other body)' : ''}`);
          });
        }
      }
      await pool(jobs);
      expect(problems.join('\n')).toBe('');
      // Visitors and non-members have hidden targets behind nearly every write.
      if (who === 'visitor' || who === 'outsider') expect(jobs.length).toBeGreaterThan(100);
    });
  }
});
