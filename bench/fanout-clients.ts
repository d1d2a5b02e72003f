/**
 * Child process of `npm run bench:fanout`: many WebSocket listeners (or the one sender), so
 * the clients' work does not share the server's event loop. Driven by the parent over IPC.
 */
import { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';

type Start = { type: 'start'; role: 'listeners' | 'sender'; kind: 'ruche' | 'bare'; url: string; cookies: string[]; room: string; seq?: number; seconds?: number; intervalMs?: number };
const now = () => performance.timeOrigin + performance.now();
const BUCKET_MS = 0.1;
const hist = new Uint32Array(200_000); // up to 20 s in 0.1 ms steps
let received = 0;
const sockets: WebSocket[] = [];
const send = (m: unknown) => process.send!(m);

function record(data: Buffer) {
  // A cheap scan instead of JSON.parse: the same work for Ruche and the bare baseline.
  const s = data.toString('latin1', 0, Math.min(data.length, 4096));
  const i = s.indexOf('"body":"t=');
  if (i < 0) return;
  const t = parseFloat(s.slice(i + 10, i + 40));
  const ms = now() - t;
  hist[Math.min(hist.length - 1, Math.max(0, Math.round(ms / BUCKET_MS)))]++;
  received++;
}

function open(url: string, cookie: string | null, onReady: (ws: WebSocket) => void, onFail: (e: Error) => void) {
  const ws = new WebSocket(url, { headers: cookie ? { cookie: `ruche_session=${cookie}` } : {}, perMessageDeflate: false });
  ws.once('error', onFail);
  ws.once('unexpected-response', (_q, r) => onFail(new Error(`HTTP ${r.statusCode}`)));
  ws.once('open', () => onReady(ws));
  sockets.push(ws);
  return ws;
}

async function listeners(m: Start) {
  let next = 0;
  let ready = 0;
  let closedEarly = 0;
  await new Promise<void>((resolve, reject) => {
    const one = () => {
      if (next >= m.cookies.length) return;
      const cookie = m.cookies[next++];
      open(
        m.url,
        m.kind === 'ruche' ? cookie : null,
        (ws) => {
          ws.on('close', (code) => code !== 1000 && code !== 1005 && closedEarly++);
          if (m.kind === 'bare') {
            ws.on('message', record);
            if (++ready === m.cookies.length) resolve();
            one();
            return;
          }
          ws.on('message', (d: Buffer) => {
            if (d.length < 200 && d.includes('"subscribed"')) {
              if (++ready === m.cookies.length) resolve();
              one();
              return;
            }
            record(d);
          });
          ws.send(JSON.stringify({ type: 'resume', rooms: { [m.room]: m.seq ?? 0 } }));
        },
        reject,
      );
    };
    for (let i = 0; i < 100; i++) one();
  });
  send({ type: 'ready', closedEarly });
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
  // Wait for the last acks (Ruche acks after commit).
  for (let i = 0; i < 100 && m.kind === 'ruche' && acks < total; i++) await new Promise((r) => setTimeout(r, 50));
  send({ type: 'sent', total, acks, elapsed });
}

process.on('message', (m: { type: string } & Partial<Start>) => {
  if (m.type === 'start') void (m.role === 'sender' ? sender(m as Start) : listeners(m as Start)).catch((e) => send({ type: 'error', msg: String(e) }));
  else if (m.type === 'collect') {
    const pairs: [number, number][] = [];
    hist.forEach((c, i) => c && pairs.push([i, c]));
    send({ type: 'stats', pairs, received, bucketMs: BUCKET_MS });
  } else if (m.type === 'stop') {
    for (const s of sockets) s.terminate();
    setTimeout(() => process.exit(0), 50);
  }
});
send({ type: 'up' });
