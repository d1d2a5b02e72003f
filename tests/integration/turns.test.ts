import { spawn, type ChildProcess } from 'node:child_process';
import type http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { inArrivalOrder } from '../../server/turns';

// The server runs in its own process: a client in its event loop would be slowed by it.
let server: ChildProcess | null = null;
const sockets: net.Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  server?.kill();
  server = null;
});

/**
 * A keep-alive client asking again as soon as it is answered; `onFirst` hears its first answer with
 * the number of answers the server gave to anyone in between (a global counter).
 */
let answered = 0;
function client(port: number, onFirst?: (waitedFor: number) => void) {
  const s = net.connect(port, '127.0.0.1');
  sockets.push(s);
  let askedAt = 0;
  let first = true;
  const ask = () => {
    askedAt = answered;
    s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  };
  s.on('connect', ask);
  s.on('data', (d) => {
    if (!d.toString().endsWith('ok')) return;
    answered++;
    if (first) onFirst?.(answered - 1 - askedAt);
    first = false;
    ask();
  });
  s.on('error', () => {});
}

/** Five connections keep a busy server (8 ms per answer) saturated; six more open at once: how many answers each newcomer waited for. */
async function lateComersWait(mode: 'fair' | 'bare'): Promise<number[]> {
  answered = 0;
  server = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/busy-server.ts', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = Number((await readline.createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next()).value);
  for (let i = 0; i < 5; i++) client(port);
  await new Promise((r) => setTimeout(r, 150));
  const waits: number[] = [];
  await new Promise<void>((done) => {
    for (let i = 0; i < 6; i++) client(port, (n) => (waits.push(n), waits.length === 6 && done()));
  });
  return waits;
}

describe('inArrivalOrder', () => {
  it('serves a new connection after the requests that came before it, not after every turn of the others', async () => {
    const waits = await lateComersWait('fair');
    // A newcomer is accepted after at most one answer per newcomer before it (one accept per
    // turn, one 8 ms answer per turn), then waits for the requests queued ahead of it (at most
    // one per connection): 5 + 11 = 16 at worst (measured 7 to 16), whatever its rank.
    expect(Math.max(...waits)).toBeLessThanOrEqual(20);
  }, 20_000);

  it('is needed: a bare server makes the last accepted newcomer wait for many turns of the others', async () => {
    const waits = await lateComersWait('bare');
    // The k-th newcomer waits k turns, each serving every connection already accepted
    // (measured 15, 22, 30, 38, 47, 57).
    expect(Math.max(...waits)).toBeGreaterThan(30);
  }, 20_000);

  it('drops a request whose connection closed while it waited, and serves the rest in order', async () => {
    const order: string[] = [];
    const serve = inArrivalOrder((req, res) => {
      order.push(req.url!);
      res.end();
    });
    const fake = (url: string, destroyed = false) => [{ url, socket: { destroyed } }, { end() {}, headersSent: false }] as unknown as [http.IncomingMessage, http.ServerResponse];
    serve(...fake('/a'));
    serve(...fake('/gone', true));
    serve(...fake('/b'));
    expect(serve.waiting()).toBe(3);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['/a', '/b']);
    expect(serve.waiting()).toBe(0);
  });
});
