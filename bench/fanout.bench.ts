/**
 * `npm run bench:fanout`: N WebSocket clients (1,000 and 5,000) in one group chat of a real
 * app (SQLite file, the default), a sender posting one message every 10 ms (BENCH_INTERVAL_MS) for 10 s over the
 * WebSocket; every message is committed before its ack and fan-out. Latency is measured from
 * the sender's clock to each client's receipt (same machine, so one clock). The baseline, in
 * the same run, is a bare `ws` server broadcasting frames of the same shape to the same N.
 * Clients run in two child processes, the sender in a third. Prints one JSON line per N.
 * msgs_per_s counts deliveries (messages × clients) from the first send to the last receipt.
 * Needs ~N+100 open files in this process: the npm script raises `ulimit -n`.
 * BENCH_PROFILE=dir writes a CPU profile of each server while it fans out.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadConfig } from '../src/lib/server/config';
import { createApp, type App } from '../src/lib/server/app';
import { attachRealtime } from '../src/lib/server/realtime/ws-server';
import { hashSecret, newId, newSecret, type UserId } from '../src/lib/server/kernel/ids';

const SIZES = (process.env.BENCH_CLIENTS ?? '1000,5000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/**
 * The sender's pace: a message every 10 ms by default (100 messages/s). In a room of 10,000 that
 * asks for 1,000,000 deliveries a second, beyond what one 2-core machine serves: the latency
 * then measures a queue. BENCH_INTERVAL_MS=100 is the paced fan-out (10 messages/s, 100,000
 * deliveries/s), where the latency is the fan-out's own.
 */
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 10);
const LISTENER_PROCS = Number(process.env.BENCH_CLIENT_PROCS ?? 2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/**
 * The listeners: by default one C process on epoll (bench/fanout-listener.c, built here with
 * the system's cc), which costs a small fraction of the CPU of the servers it measures;
 * BENCH_LISTENERS=node uses the Node listeners instead (they cost more than a bare ws server
 * on a 2-core machine, and so measured the harness more than the servers).
 */
function buildListener(): string | null {
  if (process.env.BENCH_LISTENERS === 'node') return null;
  const out = path.join(os.tmpdir(), `ruche-fanout-listener-${process.pid}`);
  const r = spawnSync(process.env.CC ?? 'cc', ['-O2', '-o', out, path.resolve('bench/fanout-listener.c')], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[harness] no C compiler: Node listeners (figures include their CPU cost)');
    return null;
  }
  return out;
}
const LISTENER_BIN = buildListener();
const C_PROCS = Number(process.env.BENCH_CLIENT_PROCS ?? 1);

type Child = { next(type: string, timeoutMs?: number): Promise<Msg>; send(m: { type: string; [k: string]: unknown }): void };
/** A C listener process for some of the clients: cookies on stdin, JSON lines on stdout. */
function cListeners(url: string, kind: 'ruche' | 'bare', room: string, seq: number, cookies: string[]): Promise<Child> {
  const u = new URL(url);
  const proc = spawn(LISTENER_BIN!, [u.hostname, u.port, u.pathname, kind, room, String(seq)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const inbox: Msg[] = [];
  const waiters: { type: string; resolve: (m: Msg) => void }[] = [];
  let partial = '';
  proc.stdout!.on('data', (d: Buffer) => {
    partial += d.toString();
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const m = JSON.parse(partial.slice(0, nl)) as Msg;
      partial = partial.slice(nl + 1);
      const w = waiters.find((x) => x.type === m.type);
      if (w) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      } else inbox.push(m);
    }
  });
  const c: Child = {
    send: (m) => void proc.stdin!.write(`${m.type}\n`),
    next(type: string, timeoutMs = 120_000) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
      return new Promise<Msg>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout waiting for ${type}`)), timeoutMs);
        waiters.push({ type, resolve: (m) => (clearTimeout(t), resolve(m)) });
      });
    },
  };
  proc.stdin!.write(cookies.map((x) => x || '-').join('\n') + '\ngo\n');
  return c.next('up').then(() => c);
}

type Msg = { type: string; [k: string]: any };
function child(): Promise<{ proc: ChildProcess; next(type: string, timeoutMs?: number): Promise<Msg>; send(m: unknown): void }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/fanout-clients.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: Msg[] = [];
  const waiters: { type: string; resolve: (m: Msg) => void }[] = [];
  proc.on('message', (m: Msg) => {
    if (m.type === 'log') return console.error(`[client] ${m.msg}`);
    if (m.type === 'error') console.error(`[client error] ${m.msg}`);
    const w = waiters.find((x) => x.type === m.type);
    if (w) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    } else inbox.push(m);
  });
  const c = {
    proc,
    send: (m: unknown) => proc.send(m as object),
    next(type: string, timeoutMs = 120_000) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
      return new Promise<Msg>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout waiting for ${type}`)), timeoutMs);
        waiters.push({ type, resolve: (m) => (clearTimeout(t), resolve(m)) });
      });
    },
  };
  return c.next('up').then(() => c);
}

async function seed(app: App, n: number) {
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 86400_000).toISOString();
  const ids: UserId[] = [];
  const cookies: string[] = [];
  const groupId = newId();
  const slug = `bench-${Date.now().toString(36)}`;
  for (let i = 0; i <= n; i += 500) {
    await app.db.transaction().execute(async (tx) => {
      const users = [];
      const sessions = [];
      for (let j = i; j < Math.min(i + 500, n + 1); j++) {
        const id = newId<UserId>();
        ids.push(id);
        const token = newSecret();
        cookies.push(token);
        users.push({ id, email: `b${j}@bench.example`, name: `Member ${j}`, handle: `b${j}_${slug.slice(-5)}`, passwordHash: null, isAdmin: 0, locale: 'en', timeZone: 'Europe/Brussels', bio: '', avatarFileId: null, createdAt: now, disabledAt: null });
        sessions.push({ id: hashSecret(token), userId: id, createdAt: now, expiresAt: expires, lastSeenAt: now, userAgent: 'bench' });
      }
      await tx.insertInto('users').values(users).execute();
      await tx.insertInto('sessions').values(sessions).execute();
    });
  }
  await app.db.insertInto('groups').values({ id: groupId, parentId: null, name: 'Bench', slug, description: '', coverFileId: null, visibility: 'closed', createdBy: ids[0], createdAt: now, lastSeq: 0, discussionCount: 0, memberCount: n + 1, lastActivityAt: now }).execute();
  for (let i = 0; i < ids.length; i += 500)
    await app.db.insertInto('memberships').values(ids.slice(i, i + 500).map((userId) => ({ groupId, userId, role: 'member' as const, createdAt: now, readFloorSeq: 0, unreadCount: 0 }))).execute();
  const room = await app.chat.groupChat(await app.sessions.actorFor(ids[0]), { slug });
  return { senderCookie: cookies[0], listenerCookies: cookies.slice(1), roomId: room.room.id, seq: room.room.lastSeq };
}

/** Frames never received count as slower than every received one (NaN when they decide the percentile). */
function percentile(pairs: [number, number][], total: number, q: number, bucketMs: number) {
  const target = Math.ceil(total * q);
  let seen = 0;
  for (const [b, c] of pairs) {
    seen += c;
    if (seen >= target) return b * bucketMs;
  }
  return NaN;
}

/** Runs one measurement against a server at `url`; returns latency and delivery figures. */
async function measure(kind: 'ruche' | 'bare', listenUrl: string, sendUrl: string, cookies: string[], senderCookie: string, roomId: string, seq: number, rssBefore: number) {
  const n = cookies.length;
  const connectStart = performance.now();
  let procs: Child[];
  if (LISTENER_BIN) {
    const per = Math.ceil(n / C_PROCS);
    procs = await Promise.all(Array.from({ length: C_PROCS }, (_, i) => cListeners(listenUrl, kind, roomId, seq, cookies.slice(i * per, (i + 1) * per))));
  } else {
    procs = await Promise.all(Array.from({ length: LISTENER_PROCS }, () => child()));
    const per = Math.ceil(n / LISTENER_PROCS);
    procs.forEach((p, i) => p.send({ type: 'start', role: 'listeners', kind, url: listenUrl, cookies: cookies.slice(i * per, (i + 1) * per), room: roomId, seq }));
  }
  const ready = await Promise.all(procs.map((p) => p.next('ready', 300_000)));
  const subscribeS = (performance.now() - connectStart) / 1000;
  console.error(`[progress] ${kind} N=${n}: all listeners subscribed in ${subscribeS.toFixed(1)} s`);
  await new Promise((r) => setTimeout(r, kind === 'ruche' ? 3000 : 500)); // presence batches settle
  gc();
  const rssAfter = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();
  const clientCpu0 = await Promise.all(procs.map(async (p) => (p.send({ type: 'collect' }), (await p.next('stats')).cpuMs as number)));
  // BENCH_PROFILE=dir: a CPU profile of the server while it fans out (not while clients connect).
  const profiler = process.env.BENCH_PROFILE ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const sender = await child();
  sender.send({ type: 'start', role: 'sender', kind, url: sendUrl, cookies: [senderCookie], room: roomId, seconds: SECONDS, intervalMs: INTERVAL_MS });
  const sent = await sender.next('sent', (SECONDS + 180) * 1000);
  console.error(`[progress] ${kind} N=${n}: sender done (${sent.total} sent, ${sent.acks} acked, ${Number(sent.elapsed).toFixed(1)} s)`);
  const expected = sent.total * n;
  let stats: Msg[] = [];
  // Wait until every frame has arrived (an overloaded server drains its backlog late), up to 3 minutes.
  for (let i = 0; i < 360; i++) {
    await new Promise((r) => setTimeout(r, 500));
    procs.forEach((p) => p.send({ type: 'collect' }));
    stats = await Promise.all(procs.map((p) => p.next('stats')));
    if (stats.reduce((a, s) => a + s.received, 0) >= expected) break;
  }
  const cpu = process.cpuUsage(cpu0);
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    fs.mkdirSync(process.env.BENCH_PROFILE!, { recursive: true });
    fs.writeFileSync(path.join(process.env.BENCH_PROFILE!, `fanout-${kind}-${n}.cpuprofile`), JSON.stringify(profile));
  }
  for (const p of [...procs, sender]) p.send({ type: 'stop' });
  const merged = new Map<number, number>();
  for (const s of stats) for (const [b, c] of s.pairs as [number, number][]) merged.set(b, (merged.get(b) ?? 0) + c);
  const pairs = [...merged.entries()].sort((a, b) => a[0] - b[0]);
  const received = stats.reduce((a, s) => a + s.received, 0);
  const bucketMs = stats[0].bucketMs as number;
  const maxMs = pairs.length ? pairs[pairs.length - 1][0] * bucketMs : 0;
  return {
    p50: percentile(pairs, expected, 0.5, bucketMs),
    p99: percentile(pairs, expected, 0.99, bucketMs),
    received,
    expected,
    acks: sent.acks as number,
    sent: sent.total as number,
    elapsed: sent.elapsed as number,
    /** From the first send to the last receipt. */
    span: (sent.elapsed as number) + maxMs / 1000,
    closedEarly: ready.reduce((a, r) => a + r.closedEarly, 0),
    /** From the first connection to the last listener subscribed (connect, authenticate, join the room). */
    subscribeS,
    rssKbPerConn: (rssAfter - rssBefore) / n / 1024,
    /** CPU seconds spent by the server process and by all listener processes while sending and draining. */
    serverCpuS: (cpu.user + cpu.system) / 1e6,
    clientCpuS: stats.reduce((a, s, i) => a + (s.cpuMs - clientCpu0[i]), 0) / 1000,
  };
}

async function runRuche(n: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-fanout-'));
  const config = loadConfig({ DATA_DIR: dataDir, BASE_URL: 'http://localhost:3000', HOST: '127.0.0.1' });
  const app = await createApp(config, { log: () => {} });
  const s = await seed(app, n);
  const server = http.createServer((_q, r) => r.end());
  const rt = attachRealtime(server, app, { limits: { framesPerSecond: 1000, burst: 1000 } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`;
  gc();
  const rss0 = process.memoryUsage().rss;
  const m = await measure('ruche', url, url, s.listenerCookies, s.senderCookie, s.roomId, s.seq, rss0);
  const stored = await app.db.selectFrom('chatMessages').select((eb) => eb.fn.countAll<number>().as('n')).where('roomId', '=', s.roomId).executeTakeFirstOrThrow();
  await rt.close();
  await new Promise((r) => server.close(r));
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { ...m, stored: Number(stored.n) };
}

async function runBare(n: number) {
  const server = http.createServer((_q, r) => r.end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const listeners = new Set<WebSocket>();
  wss.on('connection', (ws, req) => {
    if (req.url === '/send') ws.on('message', (data: Buffer) => { for (const c of listeners) c.send(data, { binary: false }); });
    else {
      listeners.add(ws);
      ws.on('close', () => listeners.delete(ws));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
  gc();
  const rss0 = process.memoryUsage().rss;
  const m = await measure('bare', `${base}/ws`, `${base}/send`, Array.from({ length: n }, () => ''), '', 'room', 0, rss0);
  for (const c of wss.clients) c.terminate();
  await new Promise((r) => wss.close(r));
  await new Promise((r) => server.close(r));
  return m;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
if (process.env.BENCH_ONLY === 'bare') {
  // The baseline alone, to look at the harness: CPU of the server and of the clients.
  for (const n of SIZES) {
    const bare = await runBare(n);
    console.log(JSON.stringify({ clients: n, bare_p50_ms: round(bare.p50), bare_p99_ms: round(bare.p99), delivered: bare.received, expected: bare.expected, server_cpu_s: round(bare.serverCpuS, 2), client_cpu_s: round(bare.clientCpuS, 2), span_s: round(bare.span, 2) }));
  }
  if (LISTENER_BIN) fs.rmSync(LISTENER_BIN, { force: true });
  process.exit(0);
}
for (const n of SIZES) {
  const ruche = await runRuche(n);
  const bare = await runBare(n);
  console.error(`[detail] N=${n} ruche: sent ${ruche.sent}, acked ${ruche.acks}, stored ${ruche.stored}, delivered ${ruche.received}/${ruche.expected}, dropped connections ${ruche.closedEarly}; bare: delivered ${bare.received}/${bare.expected}, p50 ${round(bare.p50)} ms, rss ${round(bare.rssKbPerConn)} KB/conn; CPU s server/listeners: ruche ${round(ruche.serverCpuS, 2)}/${round(ruche.clientCpuS, 2)}, bare ${round(bare.serverCpuS, 2)}/${round(bare.clientCpuS, 2)}`);
  console.log(JSON.stringify({ clients: n, p50_ms: round(ruche.p50), p99_ms: round(ruche.p99), baseline_p99_ms: round(bare.p99), ratio: round(ruche.p99 / bare.p99, 3), msgs_per_s: Math.round(ruche.received / ruche.span), rss_kb_per_conn: round(ruche.rssKbPerConn), interval_ms: INTERVAL_MS, subscribe_s: round(ruche.subscribeS, 2), baseline_subscribe_s: round(bare.subscribeS, 2) }));
}
if (LISTENER_BIN) fs.rmSync(LISTENER_BIN, { force: true });
process.exit(0);
