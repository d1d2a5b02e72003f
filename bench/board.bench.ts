/**
 * `npm run bench:board`: how fast a card move reaches another open board. A real production
 * server (SQLite), two members' WebSocket clients watching the same group (as two open boards
 * do); one moves a card through the JSON API, and we time from sending the move until the
 * other client receives the group's `notice` for that card. Moves are sequential (one member
 * dragging cards), then 8 members move at once. Prints the figures and one JSON line; the
 * target is a p99 under 100 ms.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { startServer } from '../server/main';
import { seedGroup, seedTasks } from './seed';

const MOVES = Number(process.env.BENCH_MOVES ?? 300);
const TARGET_P99_MS = 100;

if (!fs.existsSync('build/handler.js') || process.env.BENCH_BUILD) {
  console.log('building…');
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-board-'));
const port = 3900 + Math.floor(Math.random() * 90);
const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' });
const app = await createApp(config, { log: () => {} });
await app.instance.setup({ associationName: 'Bench', name: 'Bench Admin', email: 'bench@example.org', password: 'benchmark-password' });
const people: string[] = [];
for (let i = 0; i < 9; i++) people.push((await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: `b${i}@example.org`, name: `Bénévole ${i}` }))).id);
const groupId = await seedGroup(app, { slug: 'marches', ownerId: people[0], memberIds: people });
const cards = await seedTasks(app, groupId, people[0], 200, people);
const columns = (await app.db.selectFrom('taskColumns').select('id').where('groupId', '=', groupId).orderBy('position').execute()).map((c) => c.id);
const running = await startServer(config, { app, quiet: true });
const cookieOf = async (userId: string) => `ruche_session=${(await app.sessions.start(userId as never)).token}`;

/** A board's socket: watches the group, and resolves the waiters of each card's notice. */
async function board(cookie: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie } });
  const waiters = new Map<string, (t: number) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString());
    if (f.type === 'notice' && f.kind === 'task.moved') waiters.get(f.ids?.taskId)?.(performance.now());
    if (f.type === 'watching') ready();
  });
  let ready = () => {};
  const watching = new Promise<void>((r) => (ready = r));
  await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)));
  ws.send(JSON.stringify({ type: 'watch', groups: [groupId] }));
  await watching;
  return {
    heard: (taskId: string) => new Promise<number>((r) => waiters.set(taskId, (t) => (waiters.delete(taskId), r(t)))),
    close: () => ws.close(),
  };
}

const versions = new Map(cards.map((id) => [id, 1]));
/** One move through the API by `cookie`, timed until `listener` hears of it. */
async function move(cookie: string, listener: Awaited<ReturnType<typeof board>>, i: number): Promise<number> {
  const id = cards[i % cards.length];
  const heard = listener.heard(id);
  const t0 = performance.now();
  const res = await fetch(`${running.url}/api/v1/tasks/${id}/move`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ columnId: columns[(i + 1) % columns.length], position: i % 5, version: versions.get(id) }) });
  if (!res.ok) throw new Error(`move answered ${res.status}: ${await res.text()}`);
  versions.set(id, (await res.json()).version);
  return (await heard) - t0;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(1);
};

const mover = await cookieOf(people[0]);
const watcher = await board(await cookieOf(people[1]));
// Warm-up, not recorded.
for (let i = 0; i < 20; i++) await move(mover, watcher, i);

const sequential: number[] = [];
for (let i = 0; i < MOVES; i++) sequential.push(await move(mover, watcher, i + 20));

// Eight members move different cards at the same time, each heard on the watching board.
const movers = await Promise.all(people.slice(1, 9).map(cookieOf));
const concurrent: number[] = [];
for (let round = 0; round < Math.ceil(MOVES / 8); round++)
  concurrent.push(...(await Promise.all(movers.map((c, k) => move(c, watcher, 1000 + round * 8 + k)))));

watcher.close();
await running.stop();
fs.rmSync(dataDir, { recursive: true, force: true });

const line = (label: string, xs: number[]) => console.log(`${label.padEnd(36)} n=${String(xs.length).padStart(4)}   p50 ${String(quantile(xs, 0.5)).padStart(6)} ms   p99 ${String(quantile(xs, 0.99)).padStart(6)} ms   max ${String(quantile(xs, 1)).padStart(6)} ms`);
console.log('\na card moved through the API, heard on another open board (SQLite, one process)\n');
line('one member moving cards', sequential);
line('8 members moving at once', concurrent);
const p99 = Math.max(quantile(sequential, 0.99), quantile(concurrent, 0.99));
console.log(`\np99 ${p99} ms: ${p99 < TARGET_P99_MS ? 'under' : 'OVER'} the ${TARGET_P99_MS} ms target`);
console.log(
  JSON.stringify({
    bench: 'board',
    moves: sequential.length + concurrent.length,
    sequential_p50_ms: quantile(sequential, 0.5),
    sequential_p99_ms: quantile(sequential, 0.99),
    concurrent_p50_ms: quantile(concurrent, 0.5),
    concurrent_p99_ms: quantile(concurrent, 0.99),
    target_p99_ms: TARGET_P99_MS,
    ok: p99 < TARGET_P99_MS,
  }),
);
process.exit(0);
