/**
 * `npm run bench:cluster`: the pages benchmark in the scale-out mode: PostgreSQL and Redis,
 * server processes behind HAProxy (Debian's `haproxy`, round robin, keep-alive). Measures one
 * process directly, one process behind HAProxy, then two behind it, with the same pages and
 * load as `npm run bench` (autocannon in its own process, 50 connections), each beside the
 * static file of the same run; the discussion also rendered for every view (without the page
 * cache). Under each line, how many of the machine's cores each part kept busy (the servers,
 * PostgreSQL, Redis, HAProxy, and the rest: mostly the load generator). Ends with one JSON line.
 *
 * Needs: `apt-get install haproxy`, a PostgreSQL where BENCH_PG_URL may create a database
 * (default the test server's), and Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { load, waitUntilUp } from './load-client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { seedComments, seedDiscussions, seedGroup } from './seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;
const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL ?? 'postgres://ruche:ruche@127.0.0.1:5432/ruche_test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

if (spawnSync('haproxy', ['-v']).status !== 0) {
  console.error('bench:cluster needs HAProxy: apt-get install haproxy');
  process.exit(1);
}
if (!fs.existsSync('build/handler.js') || !fs.existsSync('build/main.mjs') || process.env.BENCH_BUILD) {
  console.log('building…');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
fs.writeFileSync('build/client/bench-1k.txt', 'x'.repeat(1023) + '\n');

// A database of its own, dropped at the end.
const dbName = `ruche_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = Object.assign(new URL(PG_URL), { pathname: `/${dbName}` }).toString();

const base = 4100 + Math.floor(Math.random() * 80) * 10;
const lbPort = base;
const ports = [base + 1, base + 2];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-cluster-'));
const env = { DATA_DIR: dataDir, DATABASE_URL: dbUrl, REDIS_URL, HOST: '127.0.0.1', BASE_URL: `http://localhost:${lbPort}`, SMTP_IN_PORT: '0' };

// Seeded once, through the app (the same data as `npm run bench`).
const app = await createApp(loadConfig({ ...env, PORT: String(ports[0]) }), { log: () => {} });
await app.instance.setup({ associationName: 'Bench', name: 'Bench Admin', email: 'bench@example.org', password: 'benchmark-password' });
const owner = (await app.db.selectFrom('users').select('id').where('email', '=', 'bench@example.org').executeTakeFirstOrThrow()).id;
const members = [owner];
for (let i = 0; i < 20; i++) members.push((await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: `m${i}@example.org`, name: `Membre ${i}` }))).id);
const bigGroup = await seedGroup(app, { slug: 'coordination', ownerId: owner, memberIds: members });
await seedDiscussions(app, bigGroup, owner, 1000);
const talkGroup = await seedGroup(app, { slug: 'communication', ownerId: owner, memberIds: members });
const [longDiscussion] = await seedDiscussions(app, talkGroup, owner, 1);
await seedComments(app, longDiscussion, members, 200);
const cookie = `ruche_session=${(await app.sessions.start(owner as never)).token}`;
await app.close();

const children: ChildProcess[] = [];
async function startProcess(port: number) {
  const child = spawn(process.execPath, ['build/main.mjs'], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  await waitUntilUp(`http://127.0.0.1:${port}`, `the server on ${port}`, child);
}

let haproxy: ChildProcess | null = null;
async function balance(backends: number[]) {
  if (haproxy) {
    haproxy.kill();
    await new Promise((r) => haproxy!.once('exit', r));
  }
  const cfg = path.join(dataDir, 'haproxy.cfg');
  fs.writeFileSync(
    cfg,
    [
      'global', '  maxconn 4096',
      'defaults', '  mode http', '  timeout connect 5s', '  timeout client 60s', '  timeout server 60s', '  option http-keep-alive',
      'frontend ruche', `  bind 127.0.0.1:${lbPort}`, '  default_backend pages',
      'backend pages', '  balance roundrobin', ...backends.map((p, i) => `  server s${i} 127.0.0.1:${p}`),
    ].join('\n') + '\n',
  );
  haproxy = spawn('haproxy', ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitUntilUp(`http://127.0.0.1:${lbPort}`, 'haproxy', haproxy);
}


const pages = [
  { key: 'static', label: 'static 1 KB', path: '/bench-1k.txt', cookie: false },
  { key: 'discussion200', label: 'discussion, 200 replies', path: `/d/${longDiscussion}`, cookie: true },
  // Rendered for every view: a reload that asks for a fresh copy skips the page cache.
  { key: 'discussion200_rendered', label: 'discussion, rendered each time', path: `/d/${longDiscussion}`, cookie: true, fresh: true },
  { key: 'group1000', label: 'group list, 1,000 discussions', path: '/groups/coordination/discussions', cookie: true },
  { key: 'home', label: 'home page', path: '/', cookie: true },
];
type Row = { rps: number; p50_ms: number; p99_ms: number; ratio: number; errors: number };

/** CPU seconds used so far by each of these processes (Linux: utime + stime of /proc/<pid>/stat, 100 ticks a second). */
function cpuSeconds(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // Gone meanwhile (a PostgreSQL backend that ended).
    }
  }
  return out;
}
/** Busy CPU seconds of the whole machine (/proc/stat: all but idle and iowait). */
function machineSeconds(): number {
  const [, ...v] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return (v.reduce((a, b) => a + b, 0) - v[3] - v[4]) / 100;
}
const pidsOf = (name: string) => (spawnSync('pgrep', ['-x', name], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).map(Number);
/** Who used the machine's cores during a measure: the servers, PostgreSQL, Redis, HAProxy, and the rest (the load generator, the kernel's loopback). */
function cpuSplit() {
  const groups = () => ({ servers: children.filter((c) => c.exitCode === null).map((c) => c.pid!), postgres: pidsOf('postgres'), redis: pidsOf('redis-server'), haproxy: pidsOf('haproxy') });
  const at = Object.fromEntries(Object.entries(groups()).map(([k, pids]) => [k, cpuSeconds(pids)]));
  const machine = machineSeconds();
  const t0 = performance.now();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    // Processes alive at the end, from what they had used at the start (0 if started since).
    const used = Object.fromEntries(Object.entries(groups()).map(([k, pids]) => [k, [...cpuSeconds(pids)].reduce((sum, [pid, s]) => sum + s - (at[k].get(pid) ?? 0), 0)]));
    const rest = machineSeconds() - machine - Object.values(used).reduce((a, b) => a + b, 0);
    return Object.entries({ ...used, 'load generator and the rest': rest })
      .map(([k, v]) => `${k} ${(v / wall).toFixed(2)}`)
      .join(', ');
  };
}

async function round(name: string, origin: string): Promise<Record<string, Row>> {
  console.log(`\n${name}`);
  const out: Record<string, Row> = {};
  let staticRps = 0;
  for (const p of pages) {
    const headers: Record<string, string> = { ...(p.cookie ? { cookie } : {}), ...('fresh' in p ? { 'cache-control': 'no-cache' } : {}) };
    // The warm-up first, so that the CPU split covers the measure only.
    await load({ url: origin + p.path, connections: CONNECTIONS, duration: 2, headers });
    const split = cpuSplit();
    const r = await load({ url: origin + p.path, connections: CONNECTIONS, duration: DURATION, headers });
    const cores = split();
    staticRps ||= r.rps;
    out[p.key] = { rps: r.rps, p50_ms: r.p50_ms, p99_ms: r.p99_ms, ratio: +(r.rps / staticRps).toFixed(3), errors: r.errors + r.non2xx };
    console.log(`  ${p.label.padEnd(32)} ${String(r.rps).padStart(6)} req/s  p50 ${String(r.p50_ms).padStart(4)} ms  p99 ${String(r.p99_ms).padStart(5)} ms  x${out[p.key].ratio.toFixed(3)} of static  errors ${out[p.key].errors}`);
    console.log(`    cores busy: ${cores}`);
  }
  return out;
}

let result: Record<string, Record<string, Row>> = {};
try {
  await startProcess(ports[0]);
  console.log(`\nautocannon (own process), ${CONNECTIONS} connections, ${DURATION} s each, PostgreSQL + Redis, ${os.cpus().length} cores`);
  result.direct1 = await round('one process, direct', `http://127.0.0.1:${ports[0]}`);
  await balance([ports[0]]);
  result.lb1 = await round('one process behind HAProxy', `http://127.0.0.1:${lbPort}`);
  await startProcess(ports[1]);
  await balance(ports);
  result.lb2 = await round('two processes behind HAProxy', `http://127.0.0.1:${lbPort}`);
} finally {
  (haproxy as ChildProcess | null)?.kill();
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await admin.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync('build/client/bench-1k.txt', { force: true });
}

const summary: Record<string, number | string> = { bench: 'cluster', connections: CONNECTIONS, seconds: DURATION, cores: os.cpus().length };
for (const [mode, rows] of Object.entries(result)) for (const [page, r] of Object.entries(rows)) Object.assign(summary, { [`${mode}_${page}_rps`]: r.rps, [`${mode}_${page}_p99_ms`]: r.p99_ms });
for (const p of pages) summary[`two_over_one_${p.key}`] = +(result.lb2[p.key].rps / Math.max(1, result.lb1[p.key].rps)).toFixed(2);
console.log('\n' + pages.map((p) => `two processes / one, ${p.label}: x${summary[`two_over_one_${p.key}`]}`).join('\n'));
console.log(JSON.stringify(summary));
process.exit(0);
