import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;
let bob: Awaited<ReturnType<typeof chatUser>>;
let slug: string;

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'en', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'en' });
  bob = await chatUser(app, { name: 'Bob Janssens', locale: 'fr' });
  slug = (await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { name: 'Zinne Team' })).slug;
});
afterAll(async () => {
  await e?.close();
});

const signIn = (context: BrowserContext, userId: string) => e.signIn(context, userId);

describe('chat', () => {
  it('two members chat live, see each other online, and a direct message raises the unread badge', async () => {
    const a = await e.newPage({ locale: 'en-GB' });
    const b = await e.newPage({ locale: 'fr-BE' });
    await signIn(a.context, anne.id);
    await signIn(b.context, bob.id);
    await a.page.goto(`/groups/${slug}/chat`);
    await b.page.goto(`/groups/${slug}/chat`);
    await a.page.locator('.online li', { hasText: 'Bob Janssens' }).waitFor();
    await b.page.locator('.online li', { hasText: 'Anne Peeters' }).waitFor();
    await b.page.getByText('En direct').waitFor();

    await a.page.getByLabel(/^Message/).fill('Hello **team**, who brings the stand?');
    await a.page.getByRole('button', { name: 'Send' }).click();
    await b.page.locator('.msg strong', { hasText: 'team' }).waitFor();
    expect(await b.page.locator('.msg').count()).toBe(1);

    // Direct conversation: Bob watches his list, Anne writes; the badge appears without reload.
    const { roomId } = await e.running.app.chat.openDirect(await anne.actor(), { handles: bob.handle });
    await b.page.goto('/messages');
    const row = b.page.locator('.conversations li[data-kind="direct"]', { hasText: 'Anne Peeters' });
    await row.waitFor();
    expect(await row.locator('.badge').count()).toBe(0);
    await b.page.waitForTimeout(300); // the list's socket subscribes
    await a.page.goto(`/messages/${roomId}`);
    await a.page.getByText('Live').waitFor();
    await a.page.getByLabel(/^Message/).fill('Psst, tomorrow 9:00?');
    await a.page.getByRole('button', { name: 'Send' }).click();
    await row.locator('.badge', { hasText: '1 non lu' }).waitFor();
    // Opening the conversation reads it: back on the list, no badge.
    await b.page.goto(`/messages/${roomId}`);
    await b.page.getByText('Psst, tomorrow 9:00?').waitFor();
    await b.page.goto('/messages');
    await b.page.locator('.conversations li[data-kind="direct"]', { hasText: 'Anne Peeters' }).waitFor();
    expect(await b.page.locator('.conversations li[data-kind="direct"] .badge').count()).toBe(0);
    await a.context.close();
    await b.context.close();
  });

  it('without JavaScript the chat is readable and a form posts a message that others see live', async () => {
    const a = await e.newPage({ locale: 'en-GB' });
    const b = await e.newPage({ locale: 'fr-BE', javaScriptEnabled: false });
    await signIn(a.context, anne.id);
    await signIn(b.context, bob.id);
    await a.page.goto(`/groups/${slug}/chat`);
    await a.page.getByText('Live').waitFor();
    await b.page.goto(`/groups/${slug}/chat`);
    expect(await b.page.locator('.msg', { hasText: 'who brings the stand' }).count()).toBe(1);
    await b.page.getByLabel(/^Message/).fill('Moi, je prends le stand !');
    await b.page.getByRole('button', { name: 'Envoyer' }).click();
    await b.page.waitForURL(/\/chat#m-/);
    await b.page.locator('.msg', { hasText: 'Moi, je prends le stand' }).waitFor();
    await a.page.locator('.msg', { hasText: 'Moi, je prends le stand' }).waitFor();
    // An empty message is refused next to the field, in French.
    await b.page.getByRole('button', { name: 'Envoyer' }).click(); // the browser's "required" blocks it: nothing posted
    expect(await b.page.locator('.msg', { hasText: 'Moi, je prends le stand' }).count()).toBe(1);
    await a.context.close();
    await b.context.close();
  });
  it('after the connection drops, the page reconnects and shows what it missed once', async () => {
    const b = await e.newPage({ locale: 'fr-BE' });
    await signIn(b.context, bob.id);
    await b.page.goto(`/groups/${slug}/chat`);
    await b.page.getByText('En direct').waitFor();
    const before = await b.page.locator('.msg').count();
    for (const ws of e.running.realtime.wss.clients) ws.terminate();
    const roomId = (await e.running.app.chat.groupChat(await anne.actor(), { slug })).room.id;
    await e.running.app.chat.send(await anne.actor(), { roomId, key: `e2e-${Date.now()}`, body: 'Missed while offline' });
    await b.page.locator('.msg', { hasText: 'Missed while offline' }).waitFor({ timeout: 20000 });
    await b.page.getByText('En direct').waitFor();
    expect(await b.page.locator('.msg').count()).toBe(before + 1);
    await b.context.close();
  });

  it('the chat list counts times from now as it stays open: "now" becomes "5 min ago"', async () => {
    const { roomId } = await e.running.app.chat.openDirect(await anne.actor(), { handles: bob.handle });
    await e.running.app.chat.send(await anne.actor(), { roomId, key: `clock-${Date.now()}-key`, body: 'Still there?' });
    const b = await e.newPage({ locale: 'fr-BE' });
    await signIn(b.context, bob.id);
    await b.page.clock.install();
    await b.page.goto('/messages');
    const time = b.page.locator('.conversations li[data-kind="direct"]', { hasText: 'Anne Peeters' }).locator('time');
    await expect.poll(() => time.textContent()).toMatch(/maintenant/);
    await b.page.clock.fastForward('05:00');
    await expect.poll(() => time.textContent()).toMatch(/il\sy\sa\s5\smin/);
    await b.context.close();
  });
});
