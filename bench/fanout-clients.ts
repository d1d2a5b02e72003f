/**
 * Child process of `npm run bench:fanout`: many WebSocket listeners (or the one sender), so
 * the clients' work does not share the server's event loop. Driven by the parent over IPC.
 */
import { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

type Start = { type: 'start'; role: 'listeners' | 'sender'; kind: 'ruche' | 'bare'; url: string; cookies: string[]; room: string; seq?: number; seconds?: number; intervalMs?: number };
const now = () => performance.timeOrigin + performance.now();
const BUCKET_MS = 0.1;
const hist = new Uint32Array(2_000_000); // up to 200 s in 0.1 ms steps
let received = 0;
const sockets: WebSocket[] = [];
const send = (m: unknown) => process.send!(m);

function open(url: string, cookie: string | null, onReady: (ws: WebSocket) => void, onFail: (e: Error) => void) {
  const ws = new WebSocket(url, { headers: cookie ? { cookie: `ruche_session=${cookie}` } : {}, perMessageDeflate: false });
  ws.once('error', onFail);
  ws.once('unexpected-response', (_q, r) => onFail(new Error(`HTTP ${r.statusCode}`)));
  ws.once('open', () => onReady(ws));
  sockets.push(ws);
  return ws;
}

const MARKER = Buffer.from('"body":"t=');
const SUBSCRIBED = Buffer.from('"type":"subscribed"');

/** Reads the sender's timestamp right after a marker; -1 when the number is cut by the chunk end. */
function stampAt(buf: Buffer, at: number): number {
  let v = 0;
  let frac = 0;
  let scale = 1;
  for (let i = at; i < buf.length; i++) {
    const c = buf[i];
    if (c === 46) frac = 1;
    else if (c >= 48 && c <= 57) {
      if (frac) (scale /= 10), (v += (c - 48) * scale);
      else v = v * 10 + (c - 48);
    } else return v;
  }
  return -1;
}

/**
 * A listener on a raw TCP socket with a minimal WebSocket handshake: it only scans incoming
 * bytes for the sender's timestamps, so the clients cost far less CPU than the servers they
 * measure (the same client for Ruche and for the bare baseline).
 */
function rawListener(url: URL, cookie: string | null, onOpen: (send: (text: string) => void) => void, onSubscribed: () => void, onFail: (e: Error) => void) {
  const sock = net.connect(Number(url.port), url.hostname);
  sock.setNoDelay(true);
  let open = false;
  let carry: Buffer | null = null;
  const send = (text: string) => {
    const payload = Buffer.from(text);
    const head = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255, 0, 0, 0, 0]);
    sock.write(Buffer.concat([head, payload])); // mask key 0: the payload goes as is
  };
  sock.on('connect', () =>
    sock.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${cookie ? `Cookie: ruche_session=${cookie}\r\n` : ''}\r\n`),
  );
  sock.on('error', (e) => (open ? undefined : onFail(e)));
  sock.on('data', (chunk: Buffer) => {
    if (!open) {
      const end = chunk.indexOf('\r\n\r\n');
      if (!chunk.subarray(0, 12).toString().includes('101')) return onFail(new Error(chunk.subarray(0, 40).toString()));
      open = true;
      onOpen(send);
      chunk = chunk.subarray(end + 4);
      if (!chunk.length) return;
    }
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = null;
    if (buf.indexOf(SUBSCRIBED) >= 0) onSubscribed();
    let at = buf.indexOf(MARKER);
    let keepFrom = Math.max(0, buf.length - MARKER.length + 1);
    while (at >= 0) {
      const t = stampAt(buf, at + MARKER.length);
      if (t < 0) {
        keepFrom = at;
        break;
      }
      const ms = now() - t;
      hist[Math.min(hist.length - 1, Math.max(0, Math.round(ms / BUCKET_MS)))]++;
      received++;
      at = buf.indexOf(MARKER, at + MARKER.length);
    }
    carry = Buffer.from(buf.subarray(keepFrom));
  });
  socks.push(sock);
}
const socks: net.Socket[] = [];

async function listeners(m: Start) {
  let next = 0;
  let ready = 0;
  const url = new URL(m.url);
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      if (++ready === m.cookies.length) resolve();
      one();
    };
    const one = () => {
      if (next >= m.cookies.length) return;
      const cookie = m.cookies[next++];
      let subscribed = false;
      rawListener(
        url,
        m.kind === 'ruche' ? cookie : null,
        (send) => (m.kind === 'ruche' ? send(JSON.stringify({ type: 'resume', rooms: { [m.room]: m.seq ?? 0 } })) : done()),
        () => {
          if (m.kind === 'ruche' && !subscribed) (subscribed = true), done();
        },
        reject,
      );
    };
    for (let i = 0; i < 100; i++) one();
  });
  send({ type: 'ready', closedEarly: 0 });
}

async function sender(m: Start) {
  const ws = await new Promise<WebSocket>((resolve, reject) => open(m.url, m.kind === 'ruche' ? m.cookies[0] : null, resolve, reject));
  let acks = 0;
  ws.on('message', (d: Buffer) => {
    if (d.includes('"type":"ack"')) acks++;
    else if (d.includes('"type":"error"')) send({ type: 'log', msg: d.toString().slice(0, 200) });
  });
  const total = Math.round(((m.seconds ?? 10) * 1000) / (m.intervalMs ?? 10));
  const start = now();
  for (let i = 0; i < total; i++) {
    const due = start + i * (m.intervalMs ?? 10);
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = `t=${now().toFixed(3)} message ${i} of the benchmark, about the size of a short chat line`;
    if (m.kind === 'ruche') ws.send(JSON.stringify({ type: 'send', room: m.room, key: randomBytes(12).toString('hex'), body }));
    // The bare server broadcasts what it gets: send it a frame shaped like Ruche's event frame.
    else
      ws.send(
        JSON.stringify({
          type: 'event', room: m.room, seq: i + 1, kind: 'message.posted',
          message: { id: '01a20b75-4495-7208-9e79-97e2c8abf6a8', roomId: m.room, seq: i + 1, author: { id: '01a20b75-3de9-71a2-a5d5-090ce332da40', name: 'Sender', handle: 'sender' }, body, html: `<p>${body}</p>\n`, parentId: null, replyCount: 0, reactions: {}, createdAt: new Date().toISOString(), editedAt: null, deletedAt: null },
        }),
      );
  }
  const elapsed = (now() - start) / 1000;
  send({ type: 'log', msg: `sender: ${total} frames written in ${elapsed.toFixed(1)} s, ${acks} acks so far` });
  // Wait for the last acks (Ruche acks after commit).
  for (let i = 0; i < 100 && m.kind === 'ruche' && acks < total; i++) await new Promise((r) => setTimeout(r, 50));
  send({ type: 'sent', total, acks, elapsed });
}

process.on('message', (m: { type: string } & Partial<Start>) => {
  if (m.type === 'start') void (m.role === 'sender' ? sender(m as Start) : listeners(m as Start)).catch((e) => send({ type: 'error', msg: String(e) }));
  else if (m.type === 'collect') {
    const pairs: [number, number][] = [];
    hist.forEach((c, i) => c && pairs.push([i, c]));
    const cpu = process.cpuUsage();
    send({ type: 'stats', pairs, received, bucketMs: BUCKET_MS, cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (m.type === 'stop') {
    for (const s of sockets) s.terminate();
    for (const s of socks) s.destroy();
    setTimeout(() => process.exit(0), 50);
  }
});
send({ type: 'up' });
