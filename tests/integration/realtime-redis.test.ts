import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app';
import { chatGroup, chatUser, key, sessionFor, wsClient, type WsClient } from '../support/chat-factories';

const PG = process.env.TEST_PG_URL;
const REDIS = process.env.TEST_REDIS_URL;
const skip = !PG || !REDIS;
if (skip) console.warn('[skip] two-process realtime tests need TEST_PG_URL and TEST_REDIS_URL (a PostgreSQL and a redis-server); .ci/run sets both.');

type Node = { proc: ChildProcess; url: string };

describe.skipIf(skip)('several server processes through Redis', () => {
  let app: TestApp;
  let dataDir: string;
  const nodes: Node[] = [];
  const clients: WsClient[] = [];

  function startNode(): Promise<Node> {
    const db = app.config.database as { kind: 'postgres'; url: string };
    const proc = spawn(process.execPath, ['--import', 'tsx', path.resolve('tests/integration/support/realtime-node.ts')], {
      env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: REDIS!, DATA_DIR: dataDir, BASE_URL: 'http://localhost:3000', RT_RATE: '1000', RT_BURST: '1000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server process did not start')), 20000);
      proc.stdout!.on('data', (d: Buffer) => {
        const m = /READY (\d+)/.exec(d.toString());
        if (m) {
          clearTimeout(timer);
          const n = { proc, url: `http://127.0.0.1:${m[1]}` };
          nodes.push(n);
          resolve(n);
        }
      });
      proc.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
    });
  }
  const connect = async (n: Node, cookie: string) => {
    const c = await wsClient(n.url, { cookie });
    clients.push(c);
    await c.next((f) => f.type === 'hello');
    return c;
  };

  beforeAll(async () => {
    app = await createTestApp('postgres');
    // The server processes run on the real clock: sessions must be valid now.
    app.clock.advance(Date.now() - app.clock.now().getTime());
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-rt-'));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const n of nodes) n.proc.kill('SIGKILL');
    await app?.cleanup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a message sent through process A reaches a client on process B, and presence spans both', async () => {
    const anne = await chatUser(app, { name: 'Anne' });
    const bob = await chatUser(app, { name: 'Bob' });
    const g = await chatGroup(app, [{ id: anne.id }, { id: bob.id }]);
    const roomId = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    const [a, b] = await Promise.all([startNode(), startNode()]);
    const ca = await connect(a, await sessionFor(app, anne.id));
    const cb = await connect(b, await sessionFor(app, bob.id));
    ca.send({ type: 'resume', rooms: { [roomId]: 0 } });
    cb.send({ type: 'resume', rooms: { [roomId]: 0 } });
    await ca.next((f) => f.type === 'subscribed');
    await cb.next((f) => f.type === 'subscribed');
    await ca.next((f) => f.type === 'presence' && f.users.length === 2, 10000);
    await cb.next((f) => f.type === 'presence' && f.users.length === 2, 10000);
    ca.send({ type: 'send', room: roomId, key: key(), body: 'from A', ref: 'x' });
    await ca.next((f) => f.type === 'ack' && f.ref === 'x');
    const ev = await cb.next((f) => f.type === 'event' && f.message.body === 'from A');
    expect(ev.seq).toBe(1);
    cb.send({ type: 'typing', room: roomId });
    expect(await ca.next((f) => f.type === 'typing')).toMatchObject({ user: { name: 'Bob' } });
    // Bob leaves: A learns it through Redis.
    cb.close();
    await ca.next((f) => f.type === 'presence' && f.users.length === 1, 10000);
  });

  it('after a process is killed mid-burst, every acknowledged message is stored and clients converge', async () => {
    const anne = await chatUser(app, { name: 'Anne' });
    const bob = await chatUser(app, { name: 'Bob' });
    const g = await chatGroup(app, [{ id: anne.id }, { id: bob.id }]);
    const roomId = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;
    const a = await startNode();
    const b = nodes.find((n) => n !== a && n.proc.exitCode === null) ?? (await startNode());
    const cookieA = await sessionFor(app, anne.id);
    const cookieB = await sessionFor(app, bob.id);
    const ca = await connect(a, cookieA);
    const cb = await connect(b, cookieB);
    cb.send({ type: 'resume', rooms: { [roomId]: 0 } });
    await cb.next((f) => f.type === 'subscribed');
    const keys = Array.from({ length: 300 }, () => key());
    keys.forEach((k, i) => ca.send({ type: 'send', room: roomId, key: k, body: `burst ${i}`, ref: k }));
    await ca.next((f) => f.type === 'ack' && f.ref === keys[20], 10000);
    a.proc.kill('SIGKILL');
    await ca.closed;
    const acked = ca.frames.filter((f) => f.type === 'ack').map((f) => f.key as string);
    expect(acked.length).toBeGreaterThan(20);
    expect(acked.length).toBeLessThan(300); // killed mid-burst
    const stored = new Set((await app.db.selectFrom('chatMessages').select('clientKey').where('roomId', '=', roomId).execute()).map((r) => r.clientKey));
    for (const k of acked) expect(stored.has(k)).toBe(true);

    // Restart; Anne's client reconnects, resends what was not acknowledged (same keys), resumes from 0.
    const a2 = await startNode();
    const ca2 = await connect(a2, cookieA);
    ca2.send({ type: 'resume', rooms: { [roomId]: 0 } });
    await ca2.next((f) => f.type === 'subscribed');
    const missing = keys.filter((k) => !acked.includes(k));
    missing.forEach((k) => ca2.send({ type: 'send', room: roomId, key: k, body: `burst ${keys.indexOf(k)}`, ref: k }));
    await ca2.next((f) => f.type === 'ack' && f.ref === missing[missing.length - 1], 20000);
    const total = await app.db.selectFrom('chatMessages').select((eb) => eb.fn.countAll<number>().as('n')).where('roomId', '=', roomId).executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(300); // no duplicate, none lost
    await cb.next((f) => f.type === 'event' && f.seq === 300, 20000);
    await ca2.next((f) => f.type === 'event' && f.seq === 300, 20000);
    const seen = (c: WsClient) => c.events(roomId).map((f) => `${f.seq}:${f.message.id}`);
    expect(seen(ca2)).toEqual(seen(cb));
    expect(seen(cb).map((s) => Number(s.split(':')[0]))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });
});
