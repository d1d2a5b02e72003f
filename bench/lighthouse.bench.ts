/**
 * `npm run bench:lighthouse`: Lighthouse scores of the built app as a member on a cheap phone
 * sees it (Lighthouse's default mobile run: a mid-range phone, slow 4G, simulated). It builds
 * nothing (run `npx vite build` first): it starts the built server on a fresh SQLite database
 * with demo data (a discussion with 200 replies, a group chat, the home page), signs a member
 * in with a session cookie, and prints performance / accessibility / best-practices and the
 * compressed JavaScript bytes of each page, then one JSON line.
 *
 * Targets: performance and accessibility >= 95, best practices 100, JS < 60 KB on the
 * discussion page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { startServer } from '../server/main';
import { seedComments, seedDiscussions, seedGroup } from './seed';

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

const running = await startServer(config, { app, quiet: true });
const session = await app.sessions.start(anne.id as never, 'lighthouse');
const pages: [string, string][] = [
  ['home', '/'],
  ['discussion_200', `/d/${longDiscussion}`],
  ['chat', '/groups/coordination/chat'],
];
if (fs.existsSync('src/routes/groups/[slug]/tasks')) pages.push(['tasks', '/groups/coordination/tasks']);

const loadBefore = os.loadavg()[0];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

type Row = { page: string; performance: number; accessibility: number; best_practices: number; js_kb: number; lcp_ms: number; tbt_ms: number; cls: number; failing: string[] };
const rows: Row[] = [];
try {
  for (const [name, urlPath] of pages) {
    const r = await lighthouse(running.url + urlPath, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices'],
      extraHeaders: { Cookie: `ruche_session=${session.token}` },
    });
    if (!r) throw new Error(`no result for ${urlPath}`);
    const lhr = r.lhr;
    // A run Lighthouse could not finish (a timeout on a loaded machine) says so rather than scoring 0.
    if (lhr.runtimeError) console.log(`${name.padEnd(16)} not measured: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const requests = ((lhr.audits['network-requests']?.details as { items?: { resourceType?: string; transferSize?: number }[] })?.items ?? []);
    const js = requests.filter((i) => i.resourceType === 'Script').reduce((s, i) => s + (i.transferSize ?? 0), 0);
    const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
    const failing = Object.values(lhr.categories)
      .flatMap((c) => c.auditRefs.filter((a) => a.weight > 0).map((a) => lhr.audits[a.id]))
      .filter((a) => a && a.score !== null && a.score < 0.9)
      .map((a) => a.id);
    const row: Row = {
      page: name,
      performance: score('performance'),
      accessibility: score('accessibility'),
      best_practices: score('best-practices'),
      js_kb: +(js / 1024).toFixed(1),
      lcp_ms: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? 0),
      tbt_ms: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? 0),
      cls: +(lhr.audits['cumulative-layout-shift']?.numericValue ?? 0).toFixed(3),
      failing,
    };
    rows.push(row);
    // LIGHTHOUSE_SAVE=dir keeps each page's full report (open it with Lighthouse's viewer or read the JSON).
    if (process.env.LIGHTHOUSE_SAVE) {
      fs.mkdirSync(process.env.LIGHTHOUSE_SAVE, { recursive: true });
      fs.writeFileSync(path.join(process.env.LIGHTHOUSE_SAVE, `${name}.json`), JSON.stringify(lhr));
    }
    if (process.env.LIGHTHOUSE_DETAILS) {
      // What to fix first: the heaviest scripts, the opportunities, where the main thread went.
      for (const i of requests.filter((x) => x.resourceType === 'Script').sort((a, b) => (b.transferSize ?? 0) - (a.transferSize ?? 0)).slice(0, 6)) console.log(`   script ${((i.transferSize ?? 0) / 1024).toFixed(1)} KB ${(i as { url?: string }).url}`);
      for (const a of Object.values(lhr.audits)) if (a.details?.type === 'opportunity' && (a.numericValue ?? 0) > 50) console.log(`   opportunity ${a.id}: ${Math.round(a.numericValue ?? 0)} ms`);
      for (const id of ['mainthread-work-breakdown', 'bootup-time', 'server-response-time', 'total-byte-weight', 'dom-size']) console.log(`   ${id}: ${lhr.audits[id]?.displayValue ?? ''}`);
      for (const i of ((lhr.audits['mainthread-work-breakdown']?.details as { items?: { groupLabel?: string; duration?: number }[] })?.items ?? []).slice(0, 5)) console.log(`   main thread ${Math.round(i.duration ?? 0)} ms ${i.groupLabel}`);
      for (const i of ((lhr.audits['bootup-time']?.details as { items?: { url?: string; scripting?: number; scriptParseCompile?: number }[] })?.items ?? []).slice(0, 5)) console.log(`   boot-up ${Math.round(i.scripting ?? 0)} ms scripting, ${Math.round(i.scriptParseCompile ?? 0)} ms compile ${i.url}`);
    }
    console.log(`${name.padEnd(16)} perf ${row.performance}  a11y ${row.accessibility}  best ${row.best_practices}  JS ${row.js_kb} KB  LCP ${row.lcp_ms} ms  TBT ${row.tbt_ms} ms  CLS ${row.cls}${failing.length ? `  below 0.9: ${failing.join(', ')}` : ''}`);
  }
} finally {
  await chrome.kill();
  await running.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// Scores on a shared machine move with its load: the 1-minute load average before and after, with the core count.
const load = { cores: os.cpus().length, before: +loadBefore.toFixed(2), after: +os.loadavg()[0].toFixed(2) };
console.log(`load average ${load.before} → ${load.after} on ${load.cores} cores`);
console.log(JSON.stringify({ bench: 'lighthouse', form_factor: 'mobile', throttling: 'simulated slow 4G', load_average: load, pages: Object.fromEntries(rows.map(({ page, ...r }) => [page, r])) }));
process.exit(0);
