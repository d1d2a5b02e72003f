import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { addMember, makeGroup } from '../support/discussions-factories';
import { SESSION_COOKIE } from '../../src/lib/server/domain/accounts/sessions';

/** Email settings without JavaScript: the general level and digest hour, a group's level, the unsubscribe page. */
let e: E2E;
const users: Record<string, { id: string }> = {};

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Ada Admin', email: 'ada@example.org', password: 'un long mot de passe' });
  users.anne = await insertUser(app.deps, app.db, { email: 'anne@example.org', name: 'Anne Peeters', handle: 'anne', locale: 'nl' });
  users.bert = await insertUser(app.deps, app.db, { email: 'bert@example.org', name: 'Bert Janssens', handle: 'bert', locale: 'fr' });
  const g = await makeGroup(app, { name: 'Repair Café', slug: 'repair', visibility: 'closed', createdBy: users.anne.id });
  for (const h of ['anne', 'bert']) await addMember(app, g.id, users[h].id);
});
afterAll(async () => {
  await e?.close();
});

describe('email settings', () => {
  it('a member chooses a daily digest at 18:00 and "every message" for one group, without JavaScript', async () => {
    const app = e.running.app;
    const s = await app.sessions.start(users.anne.id as never, 'e2e');
    const { context, page } = await e.newPage({ javaScriptEnabled: false });
    await context.addCookies([{ name: SESSION_COOKIE, value: s.token, url: e.url }]);
    await page.goto('/groups/repair');
    await page.getByRole('link', { name: 'E-mailinstellingen' }).click();
    await page.getByLabel('Elk nieuw bericht').check();
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await page.getByText('Je e-mailinstellingen zijn bewaard.').waitFor();
    await page.goto('/profile/email');
    await page.getByLabel('Een dagelijks overzicht').check();
    await page.getByLabel('Uur van het overzicht').selectOption('18');
    await page.locator('form[action="?/save"] button').click();
    await page.getByText('Je e-mailinstellingen zijn bewaard.').waitFor();
    const settings = await app.email.settings(await app.sessions.actorFor(users.anne.id as never));
    expect([settings.level, settings.digestHour, settings.groups[0].level]).toEqual(['daily', 18, 'all']);
    expect(settings.nextDigestAt).not.toBeNull();
    await context.close();
  });

  it('the unsubscribe link shows a confirmation, then stops the mail (no login)', async () => {
    const app = e.running.app;
    const bert = await app.sessions.actorFor(users.bert.id as never);
    const anne = await app.sessions.actorFor(users.anne.id as never);
    await app.email.saveGroupLevel(bert, { groupSlug: 'repair', level: 'all' });
    const d = await app.discussions.create(anne, { groupSlug: 'repair', title: 'Samedi', body: 'Qui vient ?' });
    const rows = await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute();
    const mail = rows.map((r) => JSON.parse(r.payload)).find((m) => m.to === 'bert@example.org' && m.messageId.includes(d.id));
    const link = mail.headers['List-Unsubscribe'].slice(1, -1).replace(/^http:\/\/localhost:\d+/, '');
    const { context, page } = await e.newPage({ javaScriptEnabled: false, locale: 'fr-BE' });
    const res = await page.goto(link);
    // In the visitor's language: the link works without an account session.
    const form = page.locator('form', { hasText: 'Repair Café' });
    await form.waitFor();
    await form.getByRole('button').click();
    await page.getByRole('status').waitFor();
    expect((await app.email.groupSettings(bert, { groupSlug: 'repair' })).level).toBe('none');
    await context.close();
  });

  it('the JSON API reads and changes the same settings, with clear errors', async () => {
    const app = e.running.app;
    const token = `${SESSION_COOKIE}=${(await app.sessions.start(users.bert.id as never, 'api')).token}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${e.url}/api/v1${path}`, { method, headers: { cookie: token, 'content-type': 'application/json', origin: e.url }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };
    const put = await call('PUT', '/me/email', { level: 'weekly', digestHour: 19, digestWeekday: 5 });
    expect(put.status).toBe(200);
    expect(await call('GET', '/me/email')).toMatchObject({ status: 200, json: { level: 'weekly', digestHour: 19, digestWeekday: 5 } });
    const bad = await call('PUT', '/me/email', { level: 'hourly', digestHour: 25, digestWeekday: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['digestHour', 'level']);
    expect((await call('PUT', '/me/email/groups', { groupSlug: 'repair', level: 'none' })).status).toBe(200);
    expect((await call('PUT', '/me/email/groups', { groupSlug: 'nope', level: 'none' })).status).toBe(404);
    const visitor = await fetch(`${e.url}/api/v1/me/email`);
    expect([401, 404]).toContain(visitor.status);
  });
});
