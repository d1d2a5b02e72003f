/**
 * `npm run bench`: page throughput of the production server (build/main.mjs, SQLite), with
 * autocannon at 50 concurrent connections, beside a static 1 KB file of the same server in the
 * same run. Then the home page and the group list at 100,000 discussions. Pages are measured as
 * members get them (a view seen again comes from the page cache: the `kept` column) and, for
 * the discussion, the group list and home, rendered for every view (`cache-control: no-cache`);
 * the discussion also with writes to the database meanwhile. Ends with one JSON line.
 *
 * Three processes: this one seeds the database through the app; the server runs as in
 * production (`node build/main.mjs`, no TypeScript loader), with bench/server-probe.mjs for its
 * own request times and CPU profiles; the load generator (bench/load.mjs) has its own, so that it
 * does not steal the server's event loop. BENCH_SECONDS sets the duration of each measure,
 * BENCH_GROW=0 skips the 100,000 part; BENCH_PROFILE=dir writes one .cpuprofile of the server per
 * page, taken only while it is under load (read them with `node bench/profile-summary.mjs
 * dir/<page>.cpuprofile`); BENCH_DUMP=dir keeps each page's HTML.
 */
import { spawn, spawnSync } from 'node:child_process';
import { load, waitUntilUp } from './load-client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { seedComments, seedDiscussions, seedGroup, seedTasks } from './seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;

if (!fs.existsSync('build/handler.js') || !fs.existsSync('build/main.mjs') || process.env.BENCH_BUILD) {
  console.log('building…');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
// A 1 KB static file served by the same handler (sirv), as the baseline.
fs.writeFileSync('build/client/bench-1k.txt', 'x'.repeat(1023) + '\n');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);
const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' };
const config = loadConfig(env);
const app = await createApp(config, { log: () => {} });
await app.instance.setup({ associationName: 'Bench', name: 'Bench Admin', email: 'bench@example.org', password: 'benchmark-password' });
const admin = await app.db.selectFrom('users').select('id').where('email', '=', 'bench@example.org').executeTakeFirstOrThrow();
const others: string[] = [];
for (let i = 0; i < 20; i++) others.push((await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: `m${i}@example.org`, name: `Membre ${i}` }))).id);
const members = [admin.id, ...others];

const bigGroup = await seedGroup(app, { slug: 'coordination', ownerId: admin.id, memberIds: members });
await seedDiscussions(app, bigGroup, admin.id, 1000);
const talkGroup = await seedGroup(app, { slug: 'communication', ownerId: admin.id, memberIds: members });
const [longDiscussion] = await seedDiscussions(app, talkGroup, admin.id, 1);
await seedComments(app, longDiscussion, members, 200);

// The server, as in production, in its own process.
const server = spawn(process.execPath, ['--import', './bench/server-probe.mjs', 'build/main.mjs'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const serverUrl = `http://127.0.0.1:${port}`;
let asked = 0;
const pending = new Map<number, (x: Record<string, number>) => void>();
server.on('message', (m: { id: number }) => pending.get(m.id)?.(m as never));
/** A question to the server's probe (bench/server-probe.mjs). */
function probe(cmd: string, extra: Record<string, string> = {}): Promise<Record<string, number>> {
  const id = ++asked;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    server.send({ id, cmd, ...extra });
  });
}
await waitUntilUp(serverUrl, 'the server', server);
const running = { url: serverUrl };

const session = await app.sessions.start(admin.id as never);
const cookie = `ruche_session=${session.token}`;

const profileDir = process.env.BENCH_PROFILE;
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });

let staticRps = 0;
// BENCH_ONLY=<regexp>: measure only the pages whose label matches (and the static file), to iterate on one page.
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
/**
 * One measure of `urlPath`: as the admin, or with `cookie` (null: none), or as several
 * `readers` (each request takes the next one's cookie); `headers` added to every request;
 * `writesPerSecond` writes by this process to the same database meanwhile.
 */
async function measure(label: string, urlPath: string, o: { cookie?: string | null; headers?: Record<string, string>; writesPerSecond?: number; readers?: string[] } = {}) {
  const { headers: extra = {}, writesPerSecond = 0, readers = [] } = o;
  const asWho = readers[0] ?? (o.cookie === undefined ? cookie : o.cookie);
  if (only && staticRps && !only.test(label)) return { label, path: urlPath, bytes: 0, rps: 0, p50_ms: 0, p99_ms: 0, ratio: 0, server_p50_ms: 0, server_p99_ms: 0, cpu_ms: 0, kept_pct: 0, errors: 0 };
  const headers: Record<string, string> = { ...(asWho ? { cookie: asWho } : {}), ...extra };
  const check = await fetch(running.url + urlPath, { headers: { 'accept-encoding': 'identity', ...headers } });
  // Bytes on the wire (compressed when asked for).
  const size = Number(check.headers.get('content-length') ?? (await check.arrayBuffer()).byteLength);
  await check.body?.cancel();
  if (check.status !== 200) throw new Error(`${label}: ${urlPath} answered ${check.status}`);
  // BENCH_DUMP=dir keeps each page as served (to see what its bytes are made of).
  if (process.env.BENCH_DUMP) {
    fs.mkdirSync(process.env.BENCH_DUMP, { recursive: true });
    const page = await fetch(running.url + urlPath, { headers: { 'accept-encoding': 'identity', ...headers } });
    fs.writeFileSync(path.join(process.env.BENCH_DUMP, `${label.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.html`), Buffer.from(await page.arrayBuffer()));
  }
  // Warm-up (JIT, caches), not recorded.
  await load({ url: running.url + urlPath, connections: CONNECTIONS, duration: 2, headers, cookies: readers });
  if (profileDir) await probe('profile-start');
  await probe('reset');
  const before = await probe('times');
  // Writes by another process meanwhile (this one, on the same SQLite file): each one makes
  // every page kept by the server's page cache out of date.
  const writer = writesPerSecond
    ? setInterval(() => void app.db.updateTable('groups').set({ lastActivityAt: new Date().toISOString() }).where('slug', '=', 'coordination').execute(), 1000 / writesPerSecond)
    : null;
  const r = await load({ url: running.url + urlPath, connections: CONNECTIONS, duration: DURATION, headers, cookies: readers });
  if (writer) clearInterval(writer);
  const server = await probe('times');
  // Views served from the page cache during the measure (src/lib/server/page-cache.ts).
  const hits = server.kept_hits - before.kept_hits;
  const kept = hits + server.kept_misses - before.kept_misses ? Math.round((100 * hits) / (hits + server.kept_misses - before.kept_misses)) : 0;
  const sql = process.env.BENCH_SQL === '1' ? ((await probe('sql')) as unknown as { requests: number; statements: number; top: { text: string; n: number; ms: number }[] }) : null;
  if (profileDir) await probe('profile-stop', { file: path.resolve(profileDir, `${label.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}.cpuprofile`) });
  if (!staticRps) staticRps = r.rps;
  const out = { label, path: urlPath, bytes: size, rps: r.rps, p50_ms: r.p50_ms, p99_ms: r.p99_ms, ratio: +(r.rps / staticRps).toFixed(3), server_p50_ms: server.p50_ms, server_p99_ms: server.p99_ms, cpu_ms: server.cpu_ms_per_request, kept_pct: kept, errors: r.errors + r.non2xx };
  console.log(`${label.padEnd(38)} ${String(out.rps).padStart(6)} req/s  p50 ${String(out.p50_ms).padStart(4)} ms  p99 ${String(out.p99_ms).padStart(5)} ms  x${out.ratio.toFixed(3)} of static  (in server: p50 ${server.p50_ms}, p99 ${server.p99_ms} ms; CPU ${server.cpu_ms_per_request} ms/req; kept ${kept} %)  ${size} B  errors ${out.errors}`);
  // BENCH_SQL=1: the statements behind the page (per request, largest total time first).
  if (sql) {
    console.log(`  ${(sql.statements / sql.requests).toFixed(1)} statements per request`);
    for (const t of sql.top) console.log(`  ${(t.ms / sql.requests).toFixed(2).padStart(6)} ms/req  ${(t.n / sql.requests).toFixed(1).padStart(5)}x  ${t.text}`);
  }
  return out;
}

console.log(`\nautocannon (own process), ${CONNECTIONS} connections, ${DURATION} s each, SQLite, server in one process\n`);
/** A reload that asks for a fresh copy: rendered, whatever the page cache holds. */
const fresh = { 'cache-control': 'no-cache' };
const staticRes = await measure('static 1 KB (baseline)', '/bench-1k.txt', { cookie: null });
// Only on demand (BENCH_ONLY=healthz): what every request pays before any page (hooks, session, one query).
if (only?.test('healthz, signed in')) await measure('healthz, signed in', '/healthz');
if (only?.test('security settings page (small page, whole layout)')) await measure('security settings page (small page, whole layout)', '/profile/security');
const discussion = await measure('discussion, 200 replies (page of 50)', `/d/${longDiscussion}`);
const discussionBr = await measure('discussion, 200 replies, brotli', `/d/${longDiscussion}`, { headers: { 'accept-encoding': 'br, gzip' } });
// The same page rendered for every view (a reload that asks for a fresh copy skips the page
// cache), and with writes elsewhere in the database during the measure.
const discussionRendered = await measure('discussion, rendered each time', `/d/${longDiscussion}`, { headers: fresh });
const discussionWrites = await measure('discussion, 10 writes/s elsewhere', `/d/${longDiscussion}`, { writesPerSecond: 10 });
// Twenty members reading it, each with their own session (each kept page is theirs alone).
const readers = await Promise.all(members.map(async (id) => `ruche_session=${(await app.sessions.start(id as never)).token}`));
const discussion20 = await measure('discussion, 21 members, 1 write/s', `/d/${longDiscussion}`, { writesPerSecond: 1, readers });
const discussion20w = await measure('discussion, 21 members, 10 writes/s', `/d/${longDiscussion}`, { writesPerSecond: 10, readers });
const groupList = await measure('group list, 1,000 discussions', `/groups/coordination/discussions`);
const home1k = await measure('home page, 1,000 discussions', '/');
const groupListRendered = await measure('group list, 1,000, rendered each time', `/groups/coordination/discussions`, { headers: fresh });
const home1kRendered = await measure('home page, 1,000, rendered each time', '/', { headers: fresh });
// A board of 500 tasks (an open group: the admin reads it without being a member), and a
// member assigned tasks in 20 groups (25 each) for My tasks. The admin is in none of these
// groups, so the home page lines below stay comparable with earlier runs.
const helpers = others.slice(0, 10);
const boardGroup = await seedGroup(app, { slug: 'marches', ownerId: others[0], memberIds: helpers });
await seedTasks(app, boardGroup, others[0], 500, helpers);
for (let i = 1; i <= 20; i++) await seedTasks(app, await seedGroup(app, { slug: `quartier-${i}`, ownerId: others[0], memberIds: [others[0], others[1]] }), others[0], 50, [others[1]]);
const busy = `ruche_session=${(await app.sessions.start(others[1] as never)).token}`;
const board500 = await measure('task board, 500 tasks', '/groups/marches/tasks');
const myTasks = await measure('my tasks, assigned in 20 groups', '/tasks', { cookie: busy });

// BENCH_GROW=0 skips the 100x part (a quicker run while profiling).
const grow = process.env.BENCH_GROW !== '0';
if (grow) {
  console.log('\nadding 99,000 discussions…');
  await seedDiscussions(app, bigGroup, others[0], 99_000);
}
const home100k = grow ? await measure('home page, 100,000 discussions', '/') : home1k;
const group100k = grow ? await measure('group list, 100,000 discussions', `/groups/coordination/discussions`) : groupList;
const home100kRendered = grow ? await measure('home page, 100,000, rendered each time', '/', { headers: fresh }) : home1kRendered;
const group100kRendered = grow ? await measure('group list, 100,000, rendered each time', `/groups/coordination/discussions`, { headers: fresh }) : groupListRendered;

server.kill('SIGTERM');
await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync('build/client/bench-1k.txt', { force: true });

const ratio = (x: { ratio: number }) => x.ratio;
const summary = {
  board500_rps: board500.rps,
  board500_p99_ms: board500.p99_ms,
  board500_ratio: ratio(board500),
  mytasks20_rps: myTasks.rps,
  mytasks20_p99_ms: myTasks.p99_ms,
  mytasks20_ratio: ratio(myTasks),
  bench: 'pages',
  connections: CONNECTIONS,
  seconds: DURATION,
  static_rps: staticRes.rps,
  static_p99_ms: staticRes.p99_ms,
  discussion200_rps: discussion.rps,
  discussion200_p99_ms: discussion.p99_ms,
  discussion200_ratio: ratio(discussion),
  discussion200_cpu_ms: discussion.cpu_ms,
  static_cpu_ms: staticRes.cpu_ms,
  discussion200_br_rps: discussionBr.rps,
  discussion200_br_p99_ms: discussionBr.p99_ms,
  discussion200_br_bytes: discussionBr.bytes,
  discussion200_rendered_rps: discussionRendered.rps,
  discussion200_rendered_p99_ms: discussionRendered.p99_ms,
  discussion200_10writes_rps: discussionWrites.rps,
  discussion200_10writes_p99_ms: discussionWrites.p99_ms,
  discussion200_10writes_kept_pct: discussionWrites.kept_pct,
  discussion200_21readers_1write_rps: discussion20.rps,
  discussion200_21readers_1write_p99_ms: discussion20.p99_ms,
  discussion200_21readers_1write_kept_pct: discussion20.kept_pct,
  discussion200_21readers_10writes_rps: discussion20w.rps,
  discussion200_21readers_10writes_p99_ms: discussion20w.p99_ms,
  discussion200_21readers_10writes_kept_pct: discussion20w.kept_pct,
  group1000_rps: groupList.rps,
  group1000_p99_ms: groupList.p99_ms,
  group1000_ratio: ratio(groupList),
  home_1k_rps: home1k.rps,
  home_1k_p99_ms: home1k.p99_ms,
  home_1k_ratio: ratio(home1k),
  home_100k_rps: home100k.rps,
  home_100k_p99_ms: home100k.p99_ms,
  home_100k_ratio: ratio(home100k),
  home_100k_over_1k_p99: +(home100k.p99_ms / Math.max(1, home1k.p99_ms)).toFixed(2),
  home_1k_over_100k_rps: +(home1k.rps / Math.max(1, home100k.rps)).toFixed(2),
  group100k_rps: group100k.rps,
  group100k_p99_ms: group100k.p99_ms,
  group100k_ratio: ratio(group100k),
  home_1k_rendered_rps: home1kRendered.rps,
  home_100k_rendered_rps: home100kRendered.rps,
  home_100k_rendered_p99_ms: home100kRendered.p99_ms,
  group1000_rendered_rps: groupListRendered.rps,
  group100k_rendered_rps: group100kRendered.rps,
  group100k_rendered_p99_ms: group100kRendered.p99_ms,
};
console.log(`\nratios to static: discussion ${summary.discussion200_ratio}, group list ${summary.group1000_ratio}; home 1k/100k throughput ${summary.home_1k_over_100k_rps}x (rendered each time: ${(home1kRendered.rps / Math.max(1, home100kRendered.rps)).toFixed(2)}x), group list ${(groupList.rps / Math.max(1, group100k.rps)).toFixed(2)}x (rendered: ${(groupListRendered.rps / Math.max(1, group100kRendered.rps)).toFixed(2)}x)`);
console.log(JSON.stringify(summary));
process.exit(0);
