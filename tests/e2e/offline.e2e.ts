import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;
let slug: string;
let discussionId: string;

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'en', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'en' });
  slug = (await chatGroup(app, [{ id: anne.id }], { name: 'Market Team' })).slug;
  discussionId = (await app.discussions.create(await anne.actor(), { groupSlug: slug, title: 'Stand on Saturday', body: 'Who brings the table?' })).id;
});
afterAll(async () => {
  await e?.close();
});

/** A page of Anne's under the service worker, with `path` visited once under it (so it is kept). */
async function keptPage(path: string): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await e.newPage({ locale: 'en-GB' });
  await e.signIn(context, anne.id);
  await page.goto(path);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.goto(path);
  return { context, page };
}

const commentsWith = async (body: string) => (await e.running.app.db.selectFrom('comments').select('id').where('body', '=', body).execute()).length;
const messagesWith = async (body: string) => (await e.running.app.db.selectFrom('chatMessages').select('id').where('body', '=', body).execute()).length;

/** How often something was recorded about `id` (the events a change writes once per real change). */
const recorded = async (type: string, id: string) => (await e.running.app.db.selectFrom('events').select('id').where('type', '=', type).where('data', 'like', `%${id}%`).execute()).length;
/** What waits in the device outbox of the page's origin. */
const outboxSize = (page: Page) => page.evaluate(() => new Promise<number>((resolve) => {
  const open = indexedDB.open('ruche-device');
  open.onsuccess = () => {
    const db = open.result;
    const names = Array.from(db.objectStoreNames);
    if (!names.includes('outbox')) return resolve(0);
    const count = db.transaction('outbox').objectStore('outbox').count();
    count.onsuccess = () => resolve(count.result);
  };
  open.onerror = () => resolve(-1);
}));

describe('offline and bad networks', () => {
  it('a visited discussion opens offline, marked possibly out of date; a reply written offline survives a reload and is posted once when the network returns', async () => {
    const { context, page } = await keptPage(`/d/${discussionId}`);
    // A page reached by a link (a client-side navigation) is kept as well.
    await page.getByRole('link', { name: /Market Team/ }).first().click();
    await page.waitForURL(`**/groups/${slug}/discussions`);
    await expect.poll(() => page.evaluate(async (u) => !!(await caches.match(u, { ignoreVary: true })), `/groups/${slug}/discussions`)).toBe(true);
    await context.setOffline(true);
    await page.goto(`/groups/${slug}/discussions`);
    await page.getByTestId('stale-banner').waitFor();
    await page.getByText('Stand on Saturday').first().waitFor();
    await page.getByTestId('network-status').getByText('No network').waitFor();
    await page.goto(`/d/${discussionId}`);
    await page.getByTestId('stale-banner').getByText(/Possibly out of date: this copy was kept/).waitFor();
    await page.getByText('Who brings the table?').waitFor();

    const text = 'I bring the table, offline reply';
    await page.getByLabel(/^Your reply/).fill(text);
    await page.getByRole('button', { name: 'Send the reply' }).click();
    await page.getByText('Kept on this device: it will be sent').waitFor();
    await page.getByTestId('queued').getByText(text).waitFor();
    expect(await page.getByLabel(/^Your reply/).inputValue()).toBe('');

    // Still offline: the reload comes from the kept copy, and the outbox is still there.
    await page.reload();
    await page.getByTestId('queued').getByText(text).waitFor();
    expect(await commentsWith(text)).toBe(0);

    await context.setOffline(false);
    await page.getByTestId('network-status').getByText('Back online: 1 message sent.').waitFor();
    await page.locator('.comment', { hasText: text }).waitFor();
    await page.getByTestId('queued').waitFor({ state: 'detached' });
    expect(await commentsWith(text)).toBe(1);
    await context.close();
  });

  it('a network that says "online" but answers nothing (lie-fi) counts as gone until the server answers again', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto(`/d/${discussionId}`);
    await page.getByLabel(/^Your reply/).waitFor();
    // The browser keeps saying "online"; every request from the page is lost.
    await page.route('**/*', (route) => route.abort('internetdisconnected'));
    expect(await page.evaluate(() => navigator.onLine)).toBe(true);
    const text = 'Reply sent into a dead Wi-Fi';
    await page.getByLabel(/^Your reply/).fill(text);
    await page.getByRole('button', { name: 'Send the reply' }).click();
    await page.getByText('Kept on this device: it will be sent').waitFor();
    await page.getByTestId('network-status').getByText('No network').waitFor();
    expect(await commentsWith(text)).toBe(0);
    // The server answers again: the probe hears it, the outbox sends the reply once.
    await page.unroute('**/*');
    await page.getByTestId('network-status').getByText('Back online: 1 message sent.').waitFor({ timeout: 15000 });
    await page.locator('.comment', { hasText: text }).waitFor();
    expect(await commentsWith(text)).toBe(1);
    await context.close();
  });

  it('a reply whose answer is lost on the way is repeated under the same key and posted once', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto(`/d/${discussionId}`);
    // The server writes the reply, then the answer never arrives.
    await page.route(/\?\/reply$/, async (route) => {
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    const text = 'Reply whose answer got lost';
    await page.getByLabel(/^Your reply/).fill(text);
    await page.getByRole('button', { name: 'Send the reply' }).click();
    await page.locator('.comment', { hasText: text }).waitFor();
    await page.getByTestId('network-status').getByText('1 message sent').waitFor();
    expect(await commentsWith(text)).toBe(1);
    await context.close();
  });

  it('a chat message written offline waits on the device and is sent once when the network returns', async () => {
    const { context, page } = await e.newPage({ locale: 'en-GB' });
    await e.signIn(context, anne.id);
    await page.goto(`/groups/${slug}/chat`);
    await page.getByText('Live').waitFor();
    await context.setOffline(true);
    await page.getByTestId('network-status').getByText('No network').waitFor();
    const text = 'Chat message written in the tunnel';
    await page.getByLabel(/^Message/).fill(text);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('queued').getByText(text).waitFor();
    expect(await messagesWith(text)).toBe(0);

    await context.setOffline(false);
    await page.locator('.msg', { hasText: text }).waitFor();
    await page.getByTestId('queued').waitFor({ state: 'detached' });
    expect(await messagesWith(text)).toBe(1);
    await context.close();
  });

  it('a task marked done offline waits on the device and is done once when the network returns, even when the first answer is lost', async () => {
    const app = e.running.app;
    const taskId = (await app.tasks.create(await anne.actor(), { groupSlug: slug, title: 'Print the flyers' })).id;
    const { context, page } = await keptPage(`/tasks/${taskId}`);
    await context.setOffline(true);
    await page.getByTestId('network-status').getByText('No network').waitFor();
    await page.getByRole('button', { name: 'Mark as done' }).click();
    await page.getByTestId('network-status').getByText('Kept on this device: “Mark “Print the flyers” as done” will be done when the network returns.').waitFor();
    expect(await outboxSize(page)).toBe(1);
    expect(await recorded('task.completed', taskId)).toBe(0);

    // The first try is written by the server but its answer never arrives; the next try repeats the key.
    let tries = 0;
    await page.route(/\/api\/v1\/tasks\/[^/]+\/complete$/, async (route) => {
      if (tries++ === 0) {
        await route.fetch();
        await route.abort('internetdisconnected');
      } else await route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => recorded('task.completed', taskId)).toBe(1);
    expect(await outboxSize(page)).toBe(1);
    await page.reload();
    await expect.poll(() => outboxSize(page)).toBe(0);
    expect(tries).toBe(2);
    await page.getByRole('button', { name: 'Mark as done' }).waitFor({ state: 'detached' });
    expect(await recorded('task.completed', taskId)).toBe(1);
    expect((await app.tasks.get(await anne.actor(), { taskId })).done).toBe(true);
    // The API's one-tap calls still need no body at all; a header key works as the body's does.
    const take = (key?: string) => page.request.post(`/api/v1/tasks/${taskId}/take`, { headers: { origin: e.url, ...(key ? { 'idempotency-key': key } : {}) } });
    expect((await take()).status()).toBe(200);
    expect((await take('take-by-header-1')).status()).toBe(200);
    expect(await recorded('task.assigned', taskId)).toBe(1);
    await context.close();
  });

  it('an answer to an event given offline waits on the device and is saved once when the network returns', async () => {
    const app = e.running.app;
    const startDate = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const { id } = await app.decide.createEvent(await anne.actor(), { groupSlug: slug, title: 'Market stand', timeZone: 'Europe/Brussels', startDate, startTime: '09:00', endTime: '13:00' });
    const { context, page } = await keptPage(`/events/${id}`);
    await context.setOffline(true);
    await page.getByTestId('network-status').getByText('No network').waitFor();
    await page.getByRole('button', { name: 'Maybe', exact: true }).click();
    await page.getByTestId('network-status').getByText('Kept on this device: “Answer “Maybe” to “Market stand”” will be done when the network returns.').waitFor();
    const answers = () => app.db.selectFrom('eventRsvps').select('answer').where('eventId', '=', id).execute();
    expect(await answers()).toEqual([]);

    await context.setOffline(false);
    await expect.poll(answers).toEqual([{ answer: 'maybe' }]);
    // Once sent, the page is read again and shows the answer.
    await page.getByRole('button', { name: 'Maybe', exact: true, pressed: true }).waitFor();
    await expect.poll(() => outboxSize(page)).toBe(0);
    expect(await recorded('event.rsvped', id)).toBe(1);
    await context.close();
  });

  it('home\'s one-tap "done" and "I\'m coming" given offline wait on the device, are sent in order once the network returns, and leave the list', async () => {
    const app = e.running.app;
    const taskId = (await app.tasks.create(await anne.actor(), { groupSlug: slug, title: 'Water the plants', assigneeIds: [anne.id] })).id;
    const startDate = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const { id: eventId } = await app.decide.createEvent(await anne.actor(), { groupSlug: slug, title: 'Repair café', timeZone: 'Europe/Brussels', startDate, startTime: '14:00', endTime: '17:00' });
    const { context, page } = await keptPage('/');
    const needs = page.getByTestId('needs-me');
    await context.setOffline(true);
    await page.getByTestId('network-status').getByText('No network').waitFor();
    await needs.getByRole('button', { name: 'Done: “Water the plants”' }).click();
    await page.getByTestId('network-status').getByText('Kept on this device: “Mark “Water the plants” as done” will be done when the network returns.').waitFor();
    await needs.getByRole('button', { name: 'I’m coming: “Repair café”' }).click();
    await page.getByTestId('network-status').getByText('Kept on this device: “Answer “I’m coming” to “Repair café”” will be done when the network returns.').waitFor();
    expect(await outboxSize(page)).toBe(2);
    const answers = () => app.db.selectFrom('eventRsvps').select('answer').where('eventId', '=', eventId).execute();
    expect(await recorded('task.completed', taskId)).toBe(0);
    expect(await answers()).toEqual([]);

    await context.setOffline(false);
    await expect.poll(answers).toEqual([{ answer: 'yes' }]);
    expect(await recorded('task.completed', taskId)).toBe(1);
    expect(await recorded('event.rsvped', eventId)).toBe(1);
    // Once sent, home is read again: neither waits for the member any more.
    await needs.getByRole('button', { name: 'Done: “Water the plants”' }).waitFor({ state: 'detached' });
    await needs.getByRole('button', { name: 'I’m coming: “Repair café”' }).waitFor({ state: 'detached' });
    await expect.poll(() => outboxSize(page)).toBe(0);
    await context.close();
  });

  it('a reply to a discussion deleted meanwhile is shown as not sent with its text to copy; logging out forgets the device outbox and kept pages', async () => {
    const app = e.running.app;
    const gone = (await app.discussions.create(await anne.actor(), { groupSlug: slug, title: 'Soon deleted', body: 'Short-lived' })).id;
    const { context, page } = await keptPage(`/d/${gone}`);
    await context.setOffline(true);
    const text = 'A reply that will find no discussion';
    await page.getByLabel(/^Your reply/).fill(text);
    await page.getByRole('button', { name: 'Send the reply' }).click();
    await page.getByTestId('queued').getByText(text).waitFor();
    await app.discussions.remove(await anne.actor(), { discussionId: gone });
    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Not sent' }).waitFor();
    expect(await page.getByLabel('Your text').inputValue()).toBe(text);
    expect(await commentsWith(text)).toBe(0);

    await page.locator('header details > summary').click(); // the account menu
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(e.url + '/');
    const kept = await page.evaluate(async () => (await (await caches.open('ruche-pages')).keys()).map((r) => new URL(r.url).pathname));
    expect(kept.filter((p) => p.startsWith('/d/'))).toEqual([]);
    const waiting = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const q = indexedDB.open('ruche-device');
          q.onsuccess = () => {
            const c = q.result.transaction('outbox').objectStore('outbox').count();
            c.onsuccess = () => resolve(c.result);
          };
        }),
    );
    expect(waiting).toBe(0);
    await context.close();
  });

  it('a new discussion typed offline survives closing the tab', async () => {
    const path = `/groups/${slug}/discussions/new`;
    const { context, page } = await keptPage(path);
    await context.setOffline(true);
    await page.getByLabel(/^Title/).fill('Flyers');
    await page.getByLabel(/^Message/).fill('Typed on the train, tab closed before any save');
    await page.close({ runBeforeUnload: true });

    const again = await context.newPage();
    await again.goto(path);
    await again.getByText('Your unsent text was restored from this device.').waitFor();
    expect(await again.getByLabel(/^Title/).inputValue()).toBe('Flyers');
    expect(await again.getByLabel(/^Message/).inputValue()).toBe('Typed on the train, tab closed before any save');
    await context.close();
  });
});
