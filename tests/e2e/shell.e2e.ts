/**
 * The app shell on a phone: the bottom tabs reach every destination and show unread chats, the
 * back button goes back (through history, or one level up when opened directly), and a chat
 * reads like a messenger: runs of one author, one's own on the other side, a message menu that
 * works by keyboard. Without JavaScript, the tabs and the message menu work too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { chatGroup, chatUser, key } from '../support/chat-factories';

let e: E2E;
let anne: Awaited<ReturnType<typeof chatUser>>;
let bob: Awaited<ReturnType<typeof chatUser>>;
let slug: string;
let roomId: string;

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Camille Admin', email: 'camille@example.org', password: 'un mot de passe solide', locale: 'fr' });
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'fr' });
  bob = await chatUser(app, { name: 'Bob Janssens', locale: 'fr' });
  slug = (await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { name: 'Marchés' })).slug;
  roomId = (await app.chat.groupChat(await anne.actor(), { slug })).room.id;
  await app.chat.send(await anne.actor(), { roomId, key: key(), body: 'Qui tient le stand ?' });
  await app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Moi, samedi matin.' });
  await app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Et dimanche aussi.' });
});
afterAll(async () => {
  await e?.close();
});

async function phone(javaScriptEnabled = true) {
  const s = await e.newPage({ javaScriptEnabled });
  await s.page.setViewportSize({ width: 390, height: 844 });
  await e.signIn(s.context, anne.id);
  return s;
}
const tab = (page: Page, id: string) => page.getByTestId('app-nav').locator(`[data-nav="${id}"]`);

describe('the app shell on a phone', () => {
  it('the bottom tabs reach each destination, with the unread chats on the Chats tab', async () => {
    const { context, page } = await phone();
    await page.goto('/');
    const nav = await page.getByTestId('app-nav').boundingBox();
    expect(nav!.y + nav!.height).toBe(844); // at the bottom of the screen
    expect(await tab(page, 'home').getAttribute('aria-current')).toBe('page');
    expect(await tab(page, 'chats').getByTestId('chats-unread').textContent()).toContain('2 non lus');
    for (const [id, path] of [['groups', '/groups'], ['chats', '/messages'], ['tasks', '/tasks'], ['me', '/profile'], ['home', '/']] as const) {
      await Promise.all([page.waitForURL((u) => u.pathname === path), tab(page, id).click()]);
      if (id !== 'tasks') expect(await tab(page, id).getAttribute('aria-current')).toBe('page');
    }
    // The bell stays in the top bar.
    expect(await page.locator('header').getByTestId('bell').count()).toBe(1);
    await context.close();
  });

  it('the back button goes back through history, else one level up', async () => {
    const { context, page } = await phone();
    await page.goto('/groups');
    await page.locator('[data-live-chats]').waitFor({ state: 'attached' });
    await Promise.all([page.waitForURL(`**/groups/${slug}`), page.locator('main').getByRole('link', { name: 'Marchés' }).first().click()]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/groups'), page.getByRole('link', { name: 'Retour' }).click()]);
    // Opened directly (a shared link): one level up, the group of the chat.
    await page.goto(`/groups/${slug}/chat`);
    expect(await page.getByTestId('top-title').textContent()).toBe('Marchés');
    await Promise.all([page.waitForURL((u) => u.pathname === `/groups/${slug}`), page.getByRole('link', { name: 'Retour' }).click()]);
    await context.close();
  });

  it('the chat groups messages by author and its message menu works by keyboard', async () => {
    const { context, page } = await phone();
    await page.goto(`/groups/${slug}/chat`);
    await page.locator('.status.live').waitFor();
    const msgs = page.locator('.chat-messages > li.msg');
    expect(await msgs.evaluateAll((els) => els.map((el) => [el.classList.contains('mine'), el.classList.contains('first')]))).toEqual([
      [true, true],
      [false, true],
      [false, false], // Bob's second message continues his run: no name, no avatar
    ]);
    expect(await msgs.nth(1).getByRole('img', { name: /Bob Janssens/ }).count()).toBe(1);
    expect(await msgs.nth(2).getByRole('img').count()).toBe(0);
    // On a phone in a conversation, the composer stays above the tabs, never under them.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const composer = (await page.locator('form.composer').boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual((await page.getByTestId('app-nav').boundingBox())!.y + 1);

    const menuButton = msgs.nth(2).getByLabel('Actions sur le message de Bob Janssens');
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = msgs.nth(2).getByTestId('message-actions');
    expect(await menu.getAttribute('open')).not.toBeNull();
    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('open')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Actions sur le message de Bob Janssens');
    await page.keyboard.press('Enter');
    // Through the reactions to "Reply", then Enter: the composer answers in Bob's thread.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Répondre') break;
    }
    await page.keyboard.press('Enter');
    await page.getByText('Répondre dans le fil de Bob Janssens').waitFor();
    expect(await menu.getAttribute('open')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-body');
    await context.close();
  });

  it('without JavaScript the tabs and the message menu still work', async () => {
    const { context, page } = await phone(false);
    await page.goto('/');
    await Promise.all([page.waitForURL((u) => u.pathname === '/groups'), tab(page, 'groups').click()]);
    await page.goto(`/groups/${slug}/chat`);
    const own = page.locator('.chat-messages > li.msg.mine', { hasText: 'Qui tient le stand' });
    await own.getByLabel('Actions sur le message de Anne Peeters').click();
    await Promise.all([page.waitForURL(/reply=/), own.getByRole('link', { name: 'Répondre' }).click()]);
    await page.getByText('Répondre dans le fil de Anne Peeters').waitFor();
    const again = page.locator('.chat-messages > li.msg.mine', { hasText: 'Qui tient le stand' });
    await again.getByLabel('Actions sur le message de Anne Peeters').first().click();
    await again.getByRole('button', { name: 'Supprimer' }).first().click();
    await page.locator('.chat-messages > li.msg.mine', { hasText: 'Message supprimé' }).waitFor();
    await context.close();
  });
});
