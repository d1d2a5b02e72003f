/**
 * The load generator of `npm run bench`, in its own process so that it does not compete with
 * the server it measures for the same event loop. Reads its options as one JSON argument
 * ({ url, connections, duration, headers, cookies, warmup }), runs autocannon (a short warm-up
 * first when asked; with `cookies`, each request takes the next one as its Cookie header) and prints one JSON line: { rps, p50_ms, p99_ms, errors, non2xx, bytes }.
 */
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2] ?? '{}');
const cookies = opts.cookies ?? [];
let next = 0;
const requests = cookies.length ? [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: cookies[next++ % cookies.length] } }) }] : undefined;
const run = (duration) => autocannon({ url: opts.url, connections: opts.connections, duration, headers: opts.headers ?? {}, ...(requests ? { requests } : {}) });
if (opts.warmup) await run(opts.warmup);
const r = await run(opts.duration);
console.log(JSON.stringify({ rps: Math.round(r.requests.average), p50_ms: r.latency.p50, p99_ms: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, bytes: r.throughput.average }));
