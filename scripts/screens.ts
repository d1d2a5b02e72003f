/**
 * `npm run screens`: phone screenshots of the main pages, in the three languages, light and
 * dark, to look at before and after a change of the pages. It builds nothing (run
 * `node scripts/build.mjs` first): it loads the demo association into a fresh SQLite database,
 * starts the built server, and signs in one demo member per language (Camille in French,
 * Pieter in Dutch, Clara in English) in Debian's Chromium at 390×844 (a common phone).
 *
 * SCREENS_DIR sets where the PNG files go (default: a fresh folder under the system's temp
 * directory); SCREENS_FULL=1 takes whole pages instead of the first screen.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/lib/server/config';
import { createApp } from '../src/lib/server/app';
import { startServer } from '../server/main';
import { loadDemo } from '../src/cli/demo';

if (!fs.existsSync('build/handler.js')) {
  console.error('No build: run `node scripts/build.mjs` first (the screenshots show the built app).');
  process.exit(1);
}

const outDir = process.env.SCREENS_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-screens-'));
fs.mkdirSync(outDir, { recursive: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-screens-data-'));
const port = 4100 + Math.floor(Math.random() * 50);
const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, SMTP_IN_PORT: '0' });
process.env.ORIGIN = config.baseUrl;
const app = await createApp(config, { log: () => {} });
await loadDemo(app, () => {});
const running = await startServer(config, { app, quiet: true });

/** The member who looks, per language, and the group shown: the one of theirs with the most tasks. */
const viewers = [
  { locale: 'fr', email: 'camille@demo.ruche.local' },
  { locale: 'nl', email: 'pieter@demo.ruche.local' },
  { locale: 'en', email: 'clara@demo.ruche.local' },
] as const;

const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const shots: string[] = [];
/** What a phone would get wrong (a page wider than the screen, a step out of reach). */
const problems: string[] = [];
try {
  for (const v of viewers) {
    const user = await app.db.selectFrom('users').select('id').where('email', '=', v.email).executeTakeFirstOrThrow();
    const groups = await app.db
      .selectFrom('memberships as m')
      .innerJoin('groups as g', 'g.id', 'm.groupId')
      .leftJoin('tasks as t', (j) => j.onRef('t.groupId', '=', 'g.id').on('t.deletedAt', 'is', null))
      .select(['g.id', 'g.slug'])
      .select((eb) => eb.fn.count<number>('t.id').as('n'))
      .where('m.userId', '=', user.id)
      .groupBy(['g.id', 'g.slug'])
      .orderBy('n', 'desc')
      .execute();
    const group = groups[0];
    if (!group) throw new Error(`${v.email} is in no group`);
    // The chat shown: the member's group chat with the most messages.
    const chatGroup = await app.db
      .selectFrom('chatRooms as r')
      .innerJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 'r.groupId').on('m.userId', '=', user.id))
      .innerJoin('groups as g', 'g.id', 'r.groupId')
      .select('g.slug')
      .orderBy('r.messageCount', 'desc')
      .executeTakeFirst();
    const discussion = await app.db.selectFrom('discussions').select('id').where('groupId', '=', group.id).where('deletedAt', 'is', null).orderBy('commentCount', 'desc').executeTakeFirst();
    const session = await app.sessions.start(user.id as never, 'screens');
    const pages: [string, string][] = [
      ['home', '/'],
      ['groups', '/groups'],
      ['chats', '/messages'],
      ['inbox', '/inbox'],
      ['group', `/groups/${group.slug}`],
      ['discussions', `/groups/${group.slug}/discussions`],
      ...(discussion ? ([['discussion', `/d/${discussion.id}`]] as [string, string][]) : []),
      ['chat', `/groups/${chatGroup?.slug ?? group.slug}/chat`],
      ['board', `/groups/${group.slug}/tasks`],
      ['my-tasks', '/tasks'],
    ];
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, colorScheme: scheme, locale: v.locale, baseURL: running.url });
      await context.addCookies([{ name: 'ruche_session', value: session.token, url: running.url }]);
      const page = await context.newPage();
      for (const [name, urlPath] of pages) {
        const res = await page.goto(urlPath, { waitUntil: 'networkidle' });
        if (!res || res.status() !== 200) throw new Error(`${urlPath} answered ${res?.status()}`);
        // A page wider than the phone is shown zoomed out: say so.
        const [inner, scroll] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth]);
        if (inner !== 390 || scroll > 390) problems.push(`${v.locale} ${name} (${urlPath}): ${Math.max(inner, scroll)} px wide, wider than the phone's 390 px`);
        const file = path.join(outDir, `${v.locale}-${scheme}-${name}.png`);
        await page.screenshot({ path: file, fullPage: process.env.SCREENS_FULL === '1' });
        shots.push(file);
        // The discussion once more with its actions menu open.
        if (name === 'discussion' && (await page.getByTestId('post-actions').count())) {
          await page.getByTestId('post-actions').click();
          const open = path.join(outDir, `${v.locale}-${scheme}-discussion-menu.png`);
          await page.screenshot({ path: open });
          shots.push(open);
          // And its delete step, where the member may delete it.
          const del = page.locator('.post-menu .confirm > summary');
          if (await del.count()) {
            await del.click();
            // The last step comes into view on the phone by itself, above the tab bar.
            const yes = page.locator('.post-menu .confirm button');
            await yes.waitFor();
            const reachable = await yes.evaluate((b) => {
              const r = b.getBoundingClientRect();
              const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              return !!hit && (hit === b || b.contains(hit));
            });
            if (!reachable) problems.push(`${v.locale} ${scheme}: the delete confirmation is under something else on the phone`);
            const confirm = path.join(outDir, `${v.locale}-${scheme}-discussion-delete.png`);
            await page.screenshot({ path: confirm });
            shots.push(confirm);
          }
        }
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await running.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(`${shots.length} screenshots in ${outDir}`);
for (const s of shots) console.log(`  ${path.basename(s)}`);
if (problems.length) console.log(`on the phone:\n  ${problems.join('\n  ')}`);
process.exit(problems.length ? 1 : 0);
