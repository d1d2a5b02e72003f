/**
 * The app shell on a phone: the bottom tabs reach every destination and show unread chats, the
 * back button goes back (through history, or one level up when opened directly), and a chat
 * reads like a messenger: runs of one author, one's own on the other side, a message menu that
 * works by keyboard and by a long press, one menu for the room. Without JavaScript, the tabs
 * work and the message menu opens by its link, decided by the server.
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

    // Each message carries only its button; the room has one menu, a dialog filled on opening.
    expect(await page.getByTestId('message-menu').count()).toBe(0);
    const menuButton = msgs.nth(2).getByLabel('Actions sur le message de Bob Janssens');
    const menu = page.getByRole('dialog', { name: 'Actions sur le message de Bob Janssens' });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await menu.waitFor();
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('message-menu').count()).toBe(1);
    // Focus is in the menu, on its first reaction; the arrow keys move between its items.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Réagir avec 👍');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Réagir avec ❤️');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Fermer le menu');
    // The rest of the page is out of reach while the menu is open.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]') || document.activeElement === document.body)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Actions sur le message de Bob Janssens');

    // Space opens it too; Enter on the first reaction reacts, live, and closes the menu.
    await page.keyboard.press(' ');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    const chip = msgs.nth(2).getByRole('button', { name: 'Réagir avec 👍 (1)' });
    await chip.waitFor();
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Actions sur le message de Bob Janssens');
    // The chip takes it off again.
    await chip.click();
    await msgs.nth(2).locator('.reactions').waitFor({ state: 'detached' });

    await menuButton.focus();
    await page.keyboard.press('Enter');
    await menu.waitFor();
    // Bob's message: no "Modifier" (not Anne's), but a reply and a discussion.
    expect(await menu.getByText('Modifier').count()).toBe(0);
    // Through the reactions to "Reply", then Enter: the composer answers in Bob's thread.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === 'Répondre') break;
    }
    await page.keyboard.press('Enter');
    await page.getByText('Répondre dans le fil de Bob Janssens').waitFor();
    await menu.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-body');
    await context.close();
  });

  it('a reaction chosen in the menu without network waits on the device and goes once the network returns', async () => {
    const { context, page } = await phone();
    await page.goto(`/groups/${slug}/chat`);
    await page.locator('.status.live').waitFor();
    const bobs = page.locator('.chat-messages > li.msg', { hasText: 'Moi, samedi matin' });
    await context.setOffline(true);
    await page.getByTestId('network-status').getByText('Pas de réseau').waitFor();
    await bobs.getByTestId('message-actions').click();
    const menu = page.getByRole('dialog', { name: 'Actions sur le message de Bob Janssens' });
    await menu.getByRole('button', { name: 'Réagir avec 🙏' }).click();
    await menu.waitFor({ state: 'hidden' });
    const stored = async () => (await e.running.app.chat.history(await anne.actor(), { roomId })).messages.find((m) => m.body === 'Moi, samedi matin.')!.reactions['🙏'] ?? [];
    expect(await stored()).toEqual([]);
    await context.setOffline(false);
    await bobs.getByRole('button', { name: 'Réagir avec 🙏 (1)' }).waitFor({ timeout: 15_000 });
    expect(await stored()).toEqual([anne.id]);
    // Taken off again, so the journeys after this one see the message as it was.
    await bobs.getByRole('button', { name: 'Réagir avec 🙏 (1)' }).click();
    await bobs.locator('.reactions').waitFor({ state: 'detached' });
    await context.close();
  });

  it('a long press on a message opens its menu on a touch phone, above the composer for the last message', async () => {
    const context = await e.browser.newContext({ locale: 'fr-BE', baseURL: e.url, hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
    await e.signIn(context, anne.id);
    const page = await context.newPage();
    await page.goto(`/groups/${slug}/chat`);
    await page.locator('.status.live').waitFor();
    const last = page.locator('.chat-messages > li.msg').last();
    const box = (await last.locator('.bubble').boundingBox())!;
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
    await page.waitForTimeout(700);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    const menu = page.getByRole('dialog', { name: /Actions sur le message de/ });
    await menu.waitFor();
    const m = (await menu.boundingBox())!;
    const composer = (await page.locator('form.composer').boundingBox())!;
    expect(m.y + m.height).toBeLessThanOrEqual(composer.y + 1);
    expect(m.x).toBeGreaterThanOrEqual(0);
    expect(m.x + m.width).toBeLessThanOrEqual(390);
    // A tap beside the menu closes it.
    await page.mouse.click(5, 5);
    await menu.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('without JavaScript the tabs and the message menu still work: the menu opens by its link', async () => {
    const { context, page } = await phone(false);
    await page.goto('/');
    await Promise.all([page.waitForURL((u) => u.pathname === '/groups'), tab(page, 'groups').click()]);
    await page.goto(`/groups/${slug}/chat`);
    expect(await page.getByTestId('message-menu').count()).toBe(0);
    const own = () => page.locator('.chat-messages > li.msg.mine', { hasText: 'Qui tient le stand' });
    const bobs = () => page.locator('.chat-messages > li.msg', { hasText: 'Et dimanche aussi' });
    const openMenu = async (li: ReturnType<typeof own>, name: string) => {
      await Promise.all([page.waitForURL(/[?&]actions=/), li.getByLabel(`Actions sur le message de ${name}`).click()]);
      expect(page.url()).toMatch(/#m-/);
      return li.getByTestId('message-menu');
    };

    // Bob's message: the server shows react, reply, make a discussion, a task (no edit or delete: not Anne's).
    let menu = await openMenu(bobs(), 'Bob Janssens');
    expect(await page.getByTestId('message-menu').count()).toBe(1);
    expect(await menu.getByRole('button', { name: 'Modifier' }).count()).toBe(0);
    expect(await menu.getByText('Modifier').count()).toBe(0);
    expect(await menu.getByRole('button', { name: 'Supprimer' }).count()).toBe(0);
    expect(await menu.getByRole('link', { name: 'En faire une tâche' }).count()).toBe(1);
    // React with 🎉: the chip shows under the message, pressed; the chip takes it off again.
    await Promise.all([page.waitForURL(/#m-/), menu.getByRole('button', { name: 'Réagir avec 🎉' }).click()]);
    const chip = bobs().getByRole('button', { name: 'Réagir avec 🎉 (1)' });
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('message-menu').count()).toBe(0);
    await Promise.all([page.waitForURL(/#m-/), chip.click()]);
    await bobs().waitFor();
    expect(await bobs().locator('.reactions').count()).toBe(0);

    // Its own link closes the menu again.
    menu = await openMenu(bobs(), 'Bob Janssens');
    await Promise.all([page.waitForURL((u) => !u.search.includes('actions')), bobs().getByLabel('Actions sur le message de Bob Janssens').click()]);
    expect(await page.getByTestId('message-menu').count()).toBe(0);

    // Make a discussion of it.
    menu = await openMenu(bobs(), 'Bob Janssens');
    await menu.getByText('En faire une discussion').click();
    await menu.getByLabel('Titre de la discussion').fill('Le stand du dimanche');
    await Promise.all([page.waitForURL(/\/d\//), menu.getByRole('button', { name: 'Créer' }).click()]);
    await page.getByRole('heading', { name: 'Le stand du dimanche' }).waitFor();
    await page.goto(`/groups/${slug}/chat`);

    // Anne's own message: reply, edit, then delete.
    menu = await openMenu(own(), 'Anne Peeters');
    await Promise.all([page.waitForURL(/reply=/), menu.getByRole('link', { name: 'Répondre' }).click()]);
    await page.getByText('Répondre dans le fil de Anne Peeters').waitFor();
    menu = await openMenu(own(), 'Anne Peeters');
    await menu.getByText('Modifier').click();
    await menu.getByLabel('Message').fill('Qui tient le stand samedi ?');
    await Promise.all([page.waitForURL(/#m-/), menu.getByRole('button', { name: 'Enregistrer' }).click()]);
    await own().getByText('Qui tient le stand samedi ?').waitFor();
    expect(await own().locator('.stamp').textContent()).toContain('modifié');
    menu = await openMenu(own(), 'Anne Peeters');
    await Promise.all([page.waitForURL((u) => !u.search.includes('actions')), menu.getByRole('button', { name: 'Supprimer' }).click()]);
    await page.locator('.chat-messages > li.msg.mine', { hasText: 'Message supprimé' }).waitFor();
    await context.close();
  });

  it('the address names the message only: another room’s message, a deleted one or a stranger get no menu', async () => {
    const app = e.running.app;
    const other = await chatGroup(app, [{ id: bob.id }], { name: 'Ailleurs' });
    const otherRoom = (await app.chat.groupChat(await bob.actor(), { slug: other.slug })).room.id;
    const elsewhere = (await app.chat.send(await bob.actor(), { roomId: otherRoom, key: key(), body: 'Ailleurs' })).message.id;
    const deleted = (await app.chat.history(await anne.actor(), { roomId })).messages.find((m) => m.deletedAt)!.id;
    const { context, page } = await phone(false);
    for (const id of [elsewhere, deleted, 'pas-un-id']) {
      const res = await page.goto(`/groups/${slug}/chat?actions=${id}`);
      expect(res?.status()).toBe(200);
      expect(await page.getByTestId('message-menu').count()).toBe(0);
    }
    // The other group's chat itself stays hidden from Anne.
    expect((await page.goto(`/groups/${other.slug}/chat?actions=${elsewhere}`))?.status()).toBe(404);
    await context.close();
  });

  it('a task made from a chat message shows on it, with or without reactions', async () => {
    const app = e.running.app;
    const msg = (await app.chat.history(await anne.actor(), { roomId })).messages.find((m) => m.body === 'Moi, samedi matin.')!;
    expect(Object.keys(msg.reactions)).toEqual([]);
    const task = await app.tasks.create(await anne.actor(), { groupSlug: slug, title: 'Tenir le stand samedi', from: `chat:${msg.id}` });
    const { context, page } = await phone(false);
    await page.goto(`/groups/${slug}/chat`);
    expect(await page.locator(`#m-${msg.id} [data-task-chip="${task.id}"]`).textContent()).toContain('Tenir le stand samedi');
    await context.close();
  });
});
