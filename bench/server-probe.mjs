/**
 * Loaded into the production server by `npm run bench` (`node --import ./bench/server-probe.mjs
 * build/main.mjs`), plain JavaScript so the server stays free of any TypeScript loader. Over the
 * IPC channel of its parent it answers:
 *   { cmd: 'reset' }                  → forgets the request times;
 *   { cmd: 'times' }                  → { p50_ms, p99_ms } of the requests since the reset, each
 *                                       timed from its arrival to the last byte handed to the socket;
 *   { cmd: 'profile-start' }          → starts sampling the CPU (inspector, 200 µs);
 *   { cmd: 'profile-stop', file }     → writes the .cpuprofile there.
 * Every answer is { ok: true, ... } with the request's `id`.
 */
import http from 'node:http';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';

let times = [];
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
    reply({});
  } else if (m.cmd === 'times') {
    reply({ p50_ms: quantile(times, 0.5), p99_ms: quantile(times, 0.99), n: times.length });
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
