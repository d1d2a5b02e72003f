import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;
let bob: Awaited<ReturnType<typeof chatUser>>;
let group: { id: string; slug: string };

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'en', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'en' });
  bob = await chatUser(app, { name: 'Bob Janssens', locale: 'en' });
  group = await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { name: 'Market Team' });
});
afterAll(async () => {
  await e?.close();
});

describe('the inbox', () => {
  it('a mention in a discussion and one in a chat raise the bell live; the inbox lists both; opening one clears it in another browser', async () => {
    const app = e.running.app;
    // Bob has two browsers open (a phone and a laptop), each on a page that is not the item.
    const phone = await e.newPage({ locale: 'en-GB' });
    const laptop = await e.newPage({ locale: 'en-GB' });
    await e.signIn(phone.context, bob.id);
    await e.signIn(laptop.context, bob.id);
    await phone.page.goto('/groups');
    await laptop.page.goto('/profile');
    const bell = (p: typeof phone.page) => p.getByTestId('bell');
    expect(await bell(phone.page).getAttribute('aria-label')).toBe('Notifications');
    await phone.page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

    // Anne mentions Bob in a new discussion: the bell rises on both, without a reload.
    const d = await app.discussions.create(await anne.actor(), { groupSlug: group.slug, title: 'Flyers for Saturday', body: `@${bob.handle} can you print them?` });
    await bell(phone.page).getByTestId('bell-count').filter({ hasText: '1' }).waitFor();
    await bell(laptop.page).getByTestId('bell-count').filter({ hasText: '1' }).waitFor();
    expect(await bell(phone.page).getAttribute('aria-label')).toBe('Notifications: 1 unread');

    // And in the group chat.
    const room = await app.chat.groupChat(await anne.actor(), { slug: group.slug });
    await app.chat.send(await anne.actor(), { roomId: room.room.id, key: 'inbox-e2e-1', body: `@${bob.handle} the stand is booked` });
    await bell(phone.page).getByTestId('bell-count').filter({ hasText: '2' }).waitFor();
    expect(await phone.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // The inbox lists both, newest first, unread.
    await Promise.all([laptop.page.waitForURL('**/inbox', { waitUntil: 'commit' }), laptop.page.getByTestId('bell').click()]);
    const entries = laptop.page.getByTestId('inbox-entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(2);
    expect(await entries.nth(0).innerText()).toContain('Anne Peeters mentioned you in the Market Team chat');
    expect(await entries.nth(0).innerText()).toContain('the stand is booked');
    expect(await entries.nth(1).innerText()).toContain('Anne Peeters mentioned you in “Flyers for Saturday”');
    expect(await laptop.page.getByTestId('inbox-unread').innerText()).toBe('2 unread');

    // Bob opens the discussion on his phone: it is read there, and on the laptop's inbox and bell.
    await phone.page.goto(`/d/${d.id}`);
    await phone.page.getByRole('heading', { name: 'Flyers for Saturday' }).waitFor();
    await bell(laptop.page).getByTestId('bell-count').filter({ hasText: '1' }).waitFor();
    await laptop.page.getByTestId('inbox-unread').filter({ hasText: '1 unread' }).waitFor();
    await laptop.page.locator('[data-testid="inbox-entry"].unread').first().waitFor();
    expect(await laptop.page.locator('[data-testid="inbox-entry"].unread').count()).toBe(1);

    // From the inbox, the chat mention opens the exact message and clears the bell everywhere.
    await laptop.page.getByRole('link', { name: /mentioned you in the Market Team chat/ }).click();
    await laptop.page.waitForURL(new RegExp(`/groups/${group.slug}/chat`));
    await bell(phone.page).getByTestId('bell-count').waitFor({ state: 'detached' });
    expect(await app.notifications.unread(await bob.actor())).toBe(0);
    for (const b of [phone, laptop]) await b.context.close();
  });

  it('without JavaScript: the inbox marks all as read and the preferences save', async () => {
    const app = e.running.app;
    const d = await app.discussions.create(await bob.actor(), { groupSlug: group.slug, title: 'Budget', body: 'Numbers inside' });
    await app.discussions.reply(await bob.actor(), { discussionId: d.id, body: `@${anne.handle} please check` });
    const { context, page } = await e.newPage({ javaScriptEnabled: false, locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto('/inbox');
    expect(await page.getByTestId('inbox-entry').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByText('You have read everything.').or(page.getByText('Nothing for you right now.')).or(page.getByTestId('inbox-entry').first()).first().waitFor();
    expect(await page.locator('[data-testid="inbox-entry"].unread').count()).toBe(0);
    expect(await app.notifications.unread(await anne.actor())).toBe(0);

    await page.goto('/profile/notifications');
    await page.getByLabel('By mail').first().selectOption('off');
    await page.getByLabel('From').selectOption('22');
    await page.getByLabel('Until').selectOption('7');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your choices are saved.').waitFor();
    const prefs = await app.notifications.preferences(await anne.actor());
    expect(prefs.choices.mentioned.email).toBe('off');
    expect(prefs.quiet).toEqual({ from: 22, to: 7 });
    // Only one of the two hours: a clear error, the choice kept.
    await page.getByLabel('Until').selectOption('');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Give both hours, or neither.').first().waitFor();
    await context.close();
  });

  it('JSON API: the inbox, read marks and preferences; nothing for visitors', async () => {
    const app = e.running.app;
    const s = await app.sessions.start(anne.id as never, 'api');
    const headers = { cookie: `ruche_session=${s.token}`, origin: e.url };
    const d = await app.discussions.create(await bob.actor(), { groupSlug: group.slug, title: 'API', body: `@${anne.handle} hello` });
    let r = await fetch(`${e.url}/api/v1/me/notifications?unread=1`, { headers });
    expect(r.status).toBe(200);
    const inbox = await r.json();
    expect(inbox.entries[0].latest.url).toBe(`/d/${d.id}`);
    r = await fetch(`${e.url}/api/v1/me/notifications/read`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ subjectId: d.id }) });
    expect((await r.json()).unread).toBe(0);
    r = await fetch(`${e.url}/api/v1/me/notifications/preferences`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ choices: { direct: { email: 'loud' } } }) });
    expect(r.status).toBe(400);
    expect((await r.json()).error.issues[0].path).toBe('choices.direct.email');
    r = await fetch(`${e.url}/api/v1/me/notifications`);
    expect(r.status).toBe(401);
    const doc = await (await fetch(`${e.url}/api/v1/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/me/notifications', '/me/notifications/read', '/me/notifications/preferences']));
  });
});
