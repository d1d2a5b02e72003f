/**
 * `npm run bench`: page throughput of a real production server (SQLite), with autocannon at
 * 50 concurrent connections, beside a static 1 KB file of the same server in the same run:
 * a discussion, a group's list, the home page, a task board of 500 tasks and My tasks of a
 * member assigned in 20 groups. Then the home page at 1,000 and at 100,000 discussions. Ends
 * with one JSON line.
 */
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { startServer } from '../server/main';
import { seedComments, seedDiscussions, seedGroup, seedTasks } from './seed';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;

if (!fs.existsSync('build/handler.js') || process.env.BENCH_BUILD) {
  console.log('building…');
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
// A 1 KB static file served by the same handler (sirv), as the baseline.
fs.writeFileSync('build/client/bench-1k.txt', 'x'.repeat(1023) + '\n');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);
const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}` });
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

const running = await startServer(config, { app, quiet: true });
const session = await app.sessions.start(admin.id as never);
const cookie = `ruche_session=${session.token}`;

async function measure(label: string, urlPath: string, withCookie = true, as = cookie) {
  const headers: Record<string, string> = withCookie ? { cookie: as } : {};
  const check = await fetch(running.url + urlPath, { headers });
  const size = (await check.arrayBuffer()).byteLength;
  if (check.status !== 200) throw new Error(`${label}: ${urlPath} answered ${check.status}`);
  // Warm-up (JIT, caches), not recorded.
  await autocannon({ url: running.url + urlPath, connections: CONNECTIONS, duration: 2, headers });
  const r = await autocannon({ url: running.url + urlPath, connections: CONNECTIONS, duration: DURATION, headers });
  const out = { label, path: urlPath, bytes: size, rps: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99, errors: r.errors + r.non2xx };
  console.log(`${label.padEnd(34)} ${String(out.rps).padStart(7)} req/s   p50 ${String(out.p50_ms).padStart(4)} ms   p99 ${String(out.p99_ms).padStart(4)} ms   ${size} B   errors ${out.errors}`);
  return out;
}

console.log(`\nautocannon, ${CONNECTIONS} connections, ${DURATION} s each, SQLite, one process\n`);
const staticRes = await measure('static 1 KB (baseline)', '/bench-1k.txt', false);
const discussion = await measure('discussion, 200 replies (page of 50)', `/d/${longDiscussion}`);
const groupList = await measure('group list, 1,000 discussions', `/groups/coordination/discussions`);
const home1k = await measure('home page, 1,000 discussions', '/');
// A board of 500 tasks (an open group: the admin reads it without being a member), and a
// member assigned tasks in 20 groups (25 each) for My tasks. The admin is in none of these
// groups, so the home page lines below stay comparable with earlier runs.
const helpers = others.slice(0, 10);
const boardGroup = await seedGroup(app, { slug: 'marches', ownerId: others[0], memberIds: helpers });
await seedTasks(app, boardGroup, others[0], 500, helpers);
for (let i = 1; i <= 20; i++) await seedTasks(app, await seedGroup(app, { slug: `quartier-${i}`, ownerId: others[0], memberIds: [others[0], others[1]] }), others[0], 50, [others[1]]);
const busy = `ruche_session=${(await app.sessions.start(others[1] as never)).token}`;
const board500 = await measure('task board, 500 tasks', '/groups/marches/tasks');
const myTasks = await measure('my tasks, assigned in 20 groups', '/tasks', true, busy);

console.log('\nadding 99,000 discussions…');
await seedDiscussions(app, bigGroup, others[0], 99_000);
const home100k = await measure('home page, 100,000 discussions', '/');
const group100k = await measure('group list, 100,000 discussions', `/groups/coordination/discussions`);

await running.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync('build/client/bench-1k.txt', { force: true });

const ratio = (x: { rps: number }) => +(x.rps / staticRes.rps).toFixed(3);
const summary = {
  bench: 'pages',
  connections: CONNECTIONS,
  seconds: DURATION,
  static_rps: staticRes.rps,
  static_p99_ms: staticRes.p99_ms,
  discussion200_rps: discussion.rps,
  discussion200_p99_ms: discussion.p99_ms,
  discussion200_ratio: ratio(discussion),
  group1000_rps: groupList.rps,
  group1000_p99_ms: groupList.p99_ms,
  group1000_ratio: ratio(groupList),
  board500_rps: board500.rps,
  board500_p99_ms: board500.p99_ms,
  board500_ratio: ratio(board500),
  mytasks20_rps: myTasks.rps,
  mytasks20_p99_ms: myTasks.p99_ms,
  mytasks20_ratio: ratio(myTasks),
  home_1k_rps: home1k.rps,
  home_100k_rps: home100k.rps,
  home_100k_over_1k_p99: +(home100k.p99_ms / Math.max(1, home1k.p99_ms)).toFixed(2),
  home_1k_over_100k_rps: +(home1k.rps / Math.max(1, home100k.rps)).toFixed(2),
  group100k_rps: group100k.rps,
  group100k_p99_ms: group100k.p99_ms,
};
console.log(`\nratios to static: discussion ${summary.discussion200_ratio}, group list ${summary.group1000_ratio}, board ${summary.board500_ratio}, my tasks ${summary.mytasks20_ratio}; home 1k/100k throughput ${summary.home_1k_over_100k_rps}x`);
console.log(JSON.stringify(summary));
process.exit(0);
