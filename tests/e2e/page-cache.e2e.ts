import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { startE2E, type E2E } from './support';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { addMember, makeGroup } from '../support/discussions-factories';
import { SESSION_COOKIE } from '../../src/lib/server/domain/accounts/sessions';
import type { UserId } from '../../src/lib/server/kernel/ids';

/**
 * The page cache (src/lib/server/page-cache.ts) on the real server: a page seen again comes
 * from the kept copy, and never once it could be wrong: after a write here or by another
 * process, to another reader, after logging out. Each copy has its own nonce and form keys.
 */
let e: E2E;
const users: Record<string, { id: string }> = {};
const cookies: Record<string, string> = {};
let discussionId = '';

const stats = () => e.running.app.pages!.stats();
async function view(path: string, who: string | null) {
  const r = await fetch(e.url + path, { headers: who ? { cookie: `${SESSION_COOKIE}=${cookies[who]}` } : {}, redirect: 'manual' });
  return { status: r.status, csp: r.headers.get('content-security-policy') ?? '', body: await r.text() };
}
const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
const keyOf = (body: string) => /name="key" value="([^"]+)"/.exec(body)?.[1] ?? '';

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Ada Admin', email: 'ada@example.org', password: 'un long mot de passe' });
  for (const [handle, name] of [['anne', 'Anne Peeters'], ['bert', 'Bert Janssens'], ['zoe', 'Zoé Martin']]) {
    users[handle] = await insertUser(app.deps, app.db, { email: `${handle}@example.org`, name, handle, locale: 'fr' });
    cookies[handle] = (await app.sessions.start(users[handle].id as UserId, 'e2e')).token;
  }
  const group = await makeGroup(app, { name: 'Caisse', slug: 'caisse', visibility: 'closed', createdBy: users.anne.id });
  for (const h of ['anne', 'bert']) await addMember(app, group.id, users[h].id);
  const anne = await app.sessions.actorFor(users.anne.id as UserId);
  discussionId = (await app.discussions.create(anne, { groupSlug: 'caisse', title: 'Budget secret 2027', body: 'Les comptes de la caisse.' })).id;
});
afterAll(async () => {
  await e?.close();
});

describe('page cache', () => {
  it('serves a page seen again from the kept copy, with a new nonce and form key in each copy', async () => {
    await view(`/d/${discussionId}`, 'anne'); // the first view marks it read: a write, not kept
    const first = await view(`/d/${discussionId}`, 'anne');
    const hits = stats().hits;
    const again = await view(`/d/${discussionId}`, 'anne');
    expect(stats().hits).toBe(hits + 1);
    expect(again.status).toBe(200);
    for (const v of [first, again]) {
      expect(nonceOf(v.csp)).not.toBe('');
      // The scripts carry the nonce the header allows.
      expect(v.body).toContain(`nonce="${nonceOf(v.csp)}"`);
    }
    expect(nonceOf(again.csp)).not.toBe(nonceOf(first.csp));
    expect(keyOf(again.body)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(keyOf(again.body)).not.toBe(keyOf(first.body));
    expect(again.body.replaceAll(nonceOf(again.csp), nonceOf(first.csp)).replaceAll(keyOf(again.body), keyOf(first.body))).toBe(first.body);
  });

  it('sends a kept page gzip-compressed to a browser, assembled around its new values', async () => {
    const { context, page } = await e.newPage();
    const refused: string[] = [];
    page.on('console', (m) => /Content Security Policy/i.test(m.text()) && refused.push(m.text()));
    await context.addCookies([{ name: SESSION_COOKIE, value: cookies.anne, url: e.url }]);
    await page.goto(`/d/${discussionId}`);
    // Seen again: the first copy starts compressing the page's parts, a later one is made of them.
    let encoding: string | null = null;
    for (let i = 0; i < 20 && encoding !== 'gzip'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const response = await page.reload();
      encoding = (await response!.allHeaders())['content-encoding'] ?? null;
    }
    expect(encoding).toBe('gzip');
    await page.getByRole('heading', { name: 'Budget secret 2027' }).waitFor();
    // The page's inline script ran (its nonce matched the new header): it sets SvelteKit's global.
    expect(await page.evaluate(() => Object.keys(window).some((k) => k.startsWith('__sveltekit_')))).toBe(true);
    expect(refused).toEqual([]);
    await context.close();
  });

  it('keeps the data of a navigation inside the app (__data.json) too, with a new form key in each copy', async () => {
    await view(`/d/${discussionId}/__data.json`, 'anne');
    const first = await view(`/d/${discussionId}/__data.json`, 'anne');
    const hits = stats().hits;
    const again = await view(`/d/${discussionId}/__data.json`, 'anne');
    expect(stats().hits).toBe(hits + 1);
    // The data is devalue's flat array: the key is one of its strings, the only one that changed.
    const strings = (json: string) => new Set([...json.matchAll(/"([A-Za-z0-9_-]{22})"/g)].map((m) => m[1]));
    const [before, after] = [strings(first.body), strings(again.body)];
    const renewed = [...after].filter((x) => !before.has(x));
    const replaced = [...before].filter((x) => !after.has(x));
    expect(renewed).toHaveLength(1);
    expect(replaced).toHaveLength(1);
    expect(again.body.replace(renewed[0], replaced[0])).toBe(first.body);
  });

  it('shows a reply posted by someone else at the next view', async () => {
    await view(`/d/${discussionId}`, 'anne');
    const bert = await e.running.app.sessions.actorFor(users.bert.id as UserId);
    await e.running.app.discussions.reply(bert, { discussionId, body: 'Réponse de Bert sur le budget' });
    expect((await view(`/d/${discussionId}`, 'anne')).body).toContain('Réponse de Bert sur le budget');
  });

  it('keeps pages while the mail about a change goes out (the job queue is no page)', async () => {
    const app = e.running.app;
    const bert = await app.sessions.actorFor(users.bert.id as UserId);
    const anne = await app.sessions.actorFor(users.anne.id as UserId);
    // A new discussion: the first reply in a while is mailed at once. The job runner waits
    // until Zoé's page is rendered after the reply, then sends.
    const other = (await app.discussions.create(anne, { groupSlug: 'caisse', title: 'Permanences', body: 'Qui tient la caisse ?' })).id;
    app.jobs.stop();
    try {
      const before = e.mailbox.sent.length;
      await app.discussions.reply(bert, { discussionId: other, body: 'Une réponse dont Anne reçoit le courriel' });
      await view('/groups', 'zoe');
      const stored = stats().stored;
      while (await app.jobs.runDue()) {
        // until no job is due
      }
      expect(e.mailbox.sent.length).toBeGreaterThan(before);
      const hits = stats().hits;
      await view('/groups', 'zoe');
      expect(stats().hits).toBe(hits + 1);
      expect(stats().stored).toBe(stored);
    } finally {
      app.jobs.start();
    }
  });

  it('shows a change written by another process (the command line) at the next view', async () => {
    await view(`/d/${discussionId}`, 'anne');
    await view(`/d/${discussionId}`, 'anne');
    const other = new Database(e.running.app.config.database.kind === 'sqlite' ? e.running.app.config.database.file : '');
    other.prepare('UPDATE discussions SET title = ? WHERE id = ?').run('Budget révisé 2027', discussionId);
    other.close();
    const after = await view(`/d/${discussionId}`, 'anne');
    expect(after.body).toContain('Budget révisé 2027');
  });

  it('never serves a kept page to another reader, a visitor, or a session that has ended', async () => {
    await view(`/d/${discussionId}`, 'anne');
    expect((await view(`/d/${discussionId}`, 'anne')).body).toContain('Les comptes de la caisse');
    for (const who of ['zoe', null]) {
      const v = await view(`/d/${discussionId}`, who);
      expect(v.status, `${who}`).not.toBe(200);
      expect(v.body).not.toContain('Les comptes de la caisse');
    }
    await e.running.app.sessions.end(cookies.anne);
    const ended = await view(`/d/${discussionId}`, 'anne');
    expect(ended.status).not.toBe(200);
    expect(ended.body).not.toContain('Les comptes de la caisse');
    cookies.anne = (await e.running.app.sessions.start(users.anne.id as UserId, 'e2e')).token;
  });

  it('saves both replies sent from two tabs of the same kept page, without JavaScript', async () => {
    const { context } = await e.newPage({ javaScriptEnabled: false });
    await context.addCookies([{ name: SESSION_COOKIE, value: cookies.bert, url: e.url }]);
    const [one, two] = [await context.newPage(), await context.newPage()];
    await one.goto(`/d/${discussionId}`);
    await one.reload();
    const hits = stats().hits;
    await two.goto(`/d/${discussionId}`);
    expect(stats().hits).toBe(hits + 1);
    for (const [tab, text] of [
      [one, 'Premier onglet : je prends la caisse samedi'],
      [two, 'Second onglet : et moi dimanche'],
    ] as const) {
      await tab.locator('form.reply textarea[name="body"]').fill(text);
      await tab.getByRole('button', { name: 'Envoyer la réponse' }).click();
      await tab.waitForURL(/comment=/);
    }
    const page = (await view(`/d/${discussionId}`, 'bert')).body;
    expect(page).toContain('Premier onglet : je prends la caisse samedi');
    expect(page).toContain('Second onglet : et moi dimanche');
    await context.close();
  });
});
