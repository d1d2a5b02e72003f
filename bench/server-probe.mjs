/**
 * Loaded into the production server by `npm run bench` (`node --import ./bench/server-probe.mjs
 * build/main.mjs`), plain JavaScript so the server stays free of any TypeScript loader. Over the
 * IPC channel of its parent it answers:
 *   { cmd: 'reset' }                  → forgets the request times;
 *   { cmd: 'times' }                  → { p50_ms, p99_ms } of the requests since the reset, each
 *                                       timed from its arrival to the last byte handed to the socket,
 *                                       the process's CPU time per request (cpu_ms_per_request)
 *                                       and the page cache's hits and misses since start;
 *   { cmd: 'profile-start' }          → starts sampling the CPU (inspector, 200 µs);
 *   { cmd: 'profile-stop', file }     → writes the .cpuprofile there;
 *   { cmd: 'sql' }                    → with BENCH_SQL=1, the SQLite statements run since the
 *                                       reset: per statement its count and total time, largest
 *                                       first (`top`), and the number of requests.
 * Every answer is { ok: true, ... } with the request's `id`.
 */
import http from 'node:http';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';

// Per-statement times of SQLite (BENCH_SQL=1): which queries a page's time goes to.
let sql = new Map();
if (process.env.BENCH_SQL === '1') {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (text, ...rest) {
    const statement = prepare.call(this, text, ...rest);
    for (const method of ['all', 'get', 'run']) {
      const original = statement[method];
      statement[method] = function (...args) {
        const t0 = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          const entry = sql.get(text) ?? { n: 0, ms: 0 };
          entry.n++;
          entry.ms += performance.now() - t0;
          sql.set(text, entry);
        }
      };
    }
    return statement;
  };
}

let times = [];
let cpu0 = process.cpuUsage();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request') {
    const t0 = performance.now();
    res.once('finish', () => times.push(performance.now() - t0));
  }
  return emit.apply(this, arguments);
};

const quantile = (xs, q) => (xs.length ? Math.round(xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]) : 0);
let session = null;

process.on('message', async (m) => {
  const reply = (x) => process.send?.({ id: m.id, ok: true, ...x });
  if (m.cmd === 'reset') {
    times = [];
    cpu0 = process.cpuUsage();
    sql = new Map();
    reply({});
  } else if (m.cmd === 'times') {
    const cpu = process.cpuUsage(cpu0);
    // The page cache's hits and misses so far (src/lib/server/page-cache.ts), when the app has one.
    const app = await globalThis[Symbol.for('ruche.app')];
    const pages = app?.pages?.stats() ?? null;
    // CPU time of the server's process per request (all its threads): what a page costs, whatever else the machine runs.
    reply({ p50_ms: quantile(times, 0.5), p99_ms: quantile(times, 0.99), n: times.length, cpu_ms_per_request: times.length ? +((cpu.user + cpu.system) / 1000 / times.length).toFixed(2) : 0, kept_hits: pages?.hits ?? 0, kept_misses: pages?.misses ?? 0 });
  } else if (m.cmd === 'sql') {
    const top = [...sql].sort((a, b) => b[1].ms - a[1].ms).map(([text, e]) => ({ text: text.replace(/\s+/g, ' ').slice(0, 160), n: e.n, ms: Math.round(e.ms) }));
    reply({ requests: times.length, statements: [...sql.values()].reduce((a, e) => a + e.n, 0), top: top.slice(0, 40) });
  } else if (m.cmd === 'profile-start') {
    session ??= new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    reply({});
  } else if (m.cmd === 'profile-stop') {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = null;
    fs.writeFileSync(m.file, JSON.stringify(profile));
    reply({});
  }
});
// The IPC channel must not keep the server alive on its own.
process.channel?.unref();
