/**
 * `npm run bench:lighthouse`: Lighthouse scores of the built app as a member on a cheap phone
 * sees it (Lighthouse's default mobile run: a mid-range phone, slow 4G, simulated). It builds
 * nothing (run `node scripts/build.mjs` first): it starts the built server on a fresh SQLite
 * database with demo data (home, a discussion with 200 replies, a group chat, a task board of
 * 60 cards), signs a member in (the session cookie in the browser's own cookie jar, so the live
 * socket opens as it does for a member), and prints performance / accessibility /
 * best-practices and the JavaScript bytes as transferred (compressed, headers included) of
 * each page, then one JSON line.
 *
 * One Lighthouse run moves by several points on a loaded machine: each page is measured
 * LIGHTHOUSE_RUNS times (3 by default, the pages taken in turn) and the JSON line gives the
 * median of each figure, each run's performance score, and the audits below 0.9 with the
 * number of runs in which they were.
 *
 * Targets: performance and accessibility >= 95, best practices 100, JS < 60 KB on the
 * discussion page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import WebSocket from 'ws';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { startServer } from '../server/main';
import { seedComments, seedDiscussions, seedGroup, seedTasks } from './seed';

if (!fs.existsSync('build/handler.js')) {
  console.error('No build: run `npx vite build` first (this bench measures the built app, it builds nothing).');
  process.exit(1);
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-lighthouse-'));
const port = 3990 + Math.floor(Math.random() * 9);
const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' });
process.env.ORIGIN = config.baseUrl;
const app = await createApp(config, { log: () => {} });
await app.instance.setup({ associationName: 'Zinne', name: 'Anne Peeters', email: 'anne@example.org', password: 'lighthouse-password' });
const anne = await app.db.selectFrom('users').select('id').where('email', '=', 'anne@example.org').executeTakeFirstOrThrow();
const others: string[] = [];
for (let i = 0; i < 8; i++) others.push((await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: `m${i}@example.org`, name: `Membre ${i}` }))).id);
const members = [anne.id, ...others];
const groupId = await seedGroup(app, { slug: 'coordination', ownerId: anne.id, memberIds: members });
await seedDiscussions(app, groupId, anne.id, 30);
const [longDiscussion] = await seedDiscussions(app, groupId, others[0], 1);
await seedComments(app, longDiscussion, members, 200);
const actor = await app.sessions.actorFor(anne.id as never);
const roomId = (await app.chat.groupChat(actor, { slug: 'coordination' })).room.id;
for (let i = 0; i < 40; i++) {
  const who = await app.sessions.actorFor(members[i % members.length] as never);
  await app.chat.send(who, { roomId, key: `lighthouse-${i}-key`, body: `Message ${i + 1} : qui vient au marché samedi ? **Merci** !` });
}
await seedTasks(app, groupId, anne.id, 60, members);

const running = await startServer(config, { app, quiet: true });
const session = await app.sessions.start(anne.id as never, 'lighthouse');
const pages: [string, string][] = [
  ['home', '/'],
  ['discussion_200', `/d/${longDiscussion}`],
  ['chat', '/groups/coordination/chat'],
  ['tasks', '/groups/coordination/tasks'],
];
const runs = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3));

const loadBefore = os.loadavg()[0];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
await setCookie(chrome.port, { name: 'ruche_session', value: session.token, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' });

/**
 * Puts the member's session cookie in the browser's cookie jar (Lighthouse keeps cookies
 * between runs). Sent as an extra request header instead, it reached the page's requests but
 * not the WebSocket's, which the server then refused: errors in the console that a member
 * never sees.
 */
async function setCookie(port: number, cookie: Record<string, unknown>) {
  const { webSocketDebuggerUrl } = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { webSocketDebuggerUrl: string };
  const ws = new WebSocket(webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const answer = new Promise<{ error?: { message: string } }>((resolve) => ws.once('message', (m) => resolve(JSON.parse(String(m)))));
  ws.send(JSON.stringify({ id: 1, method: 'Storage.setCookies', params: { cookies: [cookie] } }));
  const { error } = await answer;
  ws.close();
  if (error) throw new Error(`could not set the session cookie: ${error.message}`);
}

type Row = { performance: number; accessibility: number; best_practices: number; js_kb: number; lcp_ms: number; tbt_ms: number; cls: number; failing: string[] };
type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

/** One Lighthouse run of one page; a run Lighthouse could not finish is tried once more, then left out. */
async function measure(name: string, urlPath: string, run: number): Promise<Row | null> {
  let lhr: Lhr | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await lighthouse(running.url + urlPath, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices'] });
    if (!r) throw new Error(`no result for ${urlPath}`);
    lhr = r.lhr;
    if (!lhr.runtimeError) break;
    // A timeout on a loaded machine says so rather than scoring 0.
    console.log(`${name.padEnd(16)} not measured: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  }
  if (!lhr || lhr.runtimeError) return null;
  const requests = (lhr.audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number; url?: string }[] })?.items ?? [];
  const scripts = requests.filter((i) => i.resourceType === 'Script');
  const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
  const failing = Object.values(lhr.categories)
    .flatMap((c) => c.auditRefs.filter((a) => a.weight > 0).map((a) => lhr.audits[a.id]))
    .filter((a) => a && a.score !== null && a.score < 0.9)
    .map((a) => a.id);
  const row: Row = {
    performance: score('performance'),
    accessibility: score('accessibility'),
    best_practices: score('best-practices'),
    js_kb: +(scripts.reduce((s, i) => s + (i.transferSize ?? 0), 0) / 1024).toFixed(1),
    lcp_ms: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0),
    tbt_ms: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
    cls: +(lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3),
    failing,
  };
  // LIGHTHOUSE_SAVE=dir keeps each page's full report (open it with Lighthouse's viewer or read the JSON).
  if (process.env.LIGHTHOUSE_SAVE) {
    fs.mkdirSync(process.env.LIGHTHOUSE_SAVE, { recursive: true });
    fs.writeFileSync(path.join(process.env.LIGHTHOUSE_SAVE, `${name}${runs > 1 ? `-${run + 1}` : ''}.json`), JSON.stringify(lhr));
  }
  if (process.env.LIGHTHOUSE_DETAILS && run === 0) {
    // What to fix first: the heaviest scripts, the opportunities, where the main thread went, what fails.
    console.log(`   ${scripts.length} scripts`);
    for (const i of [...scripts].sort((a, b) => (b.transferSize ?? 0) - (a.transferSize ?? 0)).slice(0, 8)) console.log(`   script ${((i.transferSize ?? 0) / 1024).toFixed(1)} KB ${i.url}`);
    for (const a of Object.values(lhr.audits)) if (a.details?.type === 'opportunity' && (a.numericValue ?? 0) > 50) console.log(`   opportunity ${a.id}: ${Math.round(a.numericValue ?? 0)} ms`);
    for (const id of ['mainthread-work-breakdown', 'bootup-time', 'server-response-time', 'total-byte-weight', 'dom-size']) console.log(`   ${id}: ${lhr.audits[id]?.displayValue ?? ''}`);
    for (const i of ((lhr.audits['mainthread-work-breakdown']?.details as { items?: { groupLabel?: string; duration?: number }[] })?.items ?? []).slice(0, 5)) console.log(`   main thread ${Math.round(i.duration ?? 0)} ms ${i.groupLabel}`);
    for (const i of ((lhr.audits['bootup-time']?.details as { items?: { url?: string; scripting?: number; scriptParseCompile?: number }[] })?.items ?? []).slice(0, 5)) console.log(`   boot-up ${Math.round(i.scripting ?? 0)} ms scripting, ${Math.round(i.scriptParseCompile ?? 0)} ms compile ${i.url}`);
    for (const id of failing) for (const item of ((lhr.audits[id]?.details as { items?: Record<string, unknown>[] })?.items ?? []).slice(0, 3)) {
      const node = item.node as { selector?: string; explanation?: string } | undefined;
      console.log(`   ${id}: ${node ? `${node.selector} ${node.explanation ?? ''}` : String(item.description ?? item.url ?? '')}`.replace(/\s+/g, ' ').slice(0, 300));
    }
  }
  console.log(`${name.padEnd(16)} perf ${row.performance}  a11y ${row.accessibility}  best ${row.best_practices}  JS ${row.js_kb} KB  LCP ${row.lcp_ms} ms  TBT ${row.tbt_ms} ms  CLS ${row.cls}${failing.length ? `  below 0.9: ${failing.join(', ')}` : ''}`);
  return row;
}

const measured = new Map<string, Row[]>(pages.map(([name]) => [name, []]));
try {
  // The pages in turn, run after run, so a busy minute on the machine does not fall on one page only.
  for (let run = 0; run < runs; run++) {
    if (runs > 1) console.log(`run ${run + 1} of ${runs}`);
    for (const [name, urlPath] of pages) {
      const row = await measure(name, urlPath, run);
      if (row) measured.get(name)!.push(row);
    }
  }
} finally {
  await chrome.kill();
  await running.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : +((s[s.length / 2 - 1] + s[s.length / 2]) / 2).toFixed(3);
};
/** Per page: the median of each figure over the runs that finished, each run's performance, and how often each audit failed. */
function summary(rows: Row[]) {
  const failing: Record<string, number> = {};
  for (const r of rows) for (const id of r.failing) failing[id] = (failing[id] ?? 0) + 1;
  const of = (f: keyof Omit<Row, 'failing'>) => median(rows.map((r) => r[f]));
  return {
    runs: rows.length,
    performance: of('performance'),
    accessibility: of('accessibility'),
    best_practices: of('best_practices'),
    js_kb: of('js_kb'),
    lcp_ms: of('lcp_ms'),
    tbt_ms: of('tbt_ms'),
    cls: of('cls'),
    performance_runs: rows.map((r) => r.performance),
    failing,
  };
}
const result = Object.fromEntries(pages.map(([name]) => [name, summary(measured.get(name)!)]));
if (runs > 1) {
  console.log(`median of ${runs} runs`);
  for (const [name, s] of Object.entries(result)) console.log(`${name.padEnd(16)} perf ${s.performance} (${s.performance_runs.join(', ')})  a11y ${s.accessibility}  best ${s.best_practices}  JS ${s.js_kb} KB  LCP ${s.lcp_ms} ms  TBT ${s.tbt_ms} ms  CLS ${s.cls}`);
}

// Scores on a shared machine move with its load: the 1-minute load average before and after, with the core count.
const load = { cores: os.cpus().length, before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2) };
console.log(`load average ${load.before} → ${load.after} on ${load.cores} cores`);
console.log(JSON.stringify({ bench: 'lighthouse', form_factor: 'mobile', throttling: 'simulated slow 4G', runs, statistic: 'median', load_average: load, pages: result }));
process.exit(0);
