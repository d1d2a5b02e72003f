/**
 * On a phone, messages that arrive in a chat come in above the composer, in order, and in
 * view: never under the composer nor below it.
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
  await app.db.insertInto('instance').values({ id: 1, name: 'Zinne', description: '', openRegistration: 0, defaultLocale: 'fr', createdAt: new Date().toISOString() }).execute();
  anne = await chatUser(app, { name: 'Anne Peeters', locale: 'fr' });
  bob = await chatUser(app, { name: 'Bob Janssens', locale: 'fr' });
  slug = (await chatGroup(app, [{ id: anne.id }, { id: bob.id }], { name: 'Marchés' })).slug;
  roomId = (await app.chat.groupChat(await anne.actor(), { slug })).room.id;
  // A conversation longer than a phone screen.
  for (let i = 1; i <= 25; i++) await app.chat.send(await (i % 2 ? bob : anne).actor(), { roomId, key: key(), body: `Message ancien ${i}` });
});
afterAll(async () => {
  await e?.close();
});

/** Where a message is, seen from the page: after every other message, before the composer, visible. */
async function placeOf(page: Page, text: string) {
  return page.evaluate((text) => {
    const composer = document.querySelector('form.composer')!;
    const msgs = [...document.querySelectorAll<HTMLElement>('.chat-messages > li.msg:not(.pending)')];
    const msg = msgs.find((m) => m.textContent?.includes(text))!;
    const r = msg.getBoundingClientRect();
    const c = composer.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 16));
    return {
      last: msgs[msgs.length - 1] === msg,
      inOrder: msgs.map((m) => Number(m.dataset.seq)).every((s, i, a) => i === 0 || a[i - 1] < s),
      beforeComposerInPage: msgs.every((m) => !!(m.compareDocumentPosition(composer) & Node.DOCUMENT_POSITION_FOLLOWING)),
      aboveComposerOnScreen: r.bottom <= c.top + 1,
      inView: r.top >= 0 && r.bottom <= window.innerHeight,
      notCovered: !!hit && msg.contains(hit),
    };
  }, text);
}
const allTrue = { last: true, inOrder: true, beforeComposerInPage: true, aboveComposerOnScreen: true, inView: true, notCovered: true };

describe('chat on a phone', () => {
  it('shows arriving messages, others’ and one’s own, above the composer and in view', async () => {
    const a = await e.newPage();
    await a.page.setViewportSize({ width: 390, height: 844 });
    await e.signIn(a.context, anne.id);
    await a.page.goto(`/groups/${slug}/chat`);
    await a.page.locator('.status.live').waitFor();
    // Opening the chat shows the latest messages above the composer.
    expect(await placeOf(a.page, 'Message ancien 25')).toEqual(allTrue);

    await e.running.app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Qui tient le stand samedi ?' });
    await a.page.locator('.msg', { hasText: 'Qui tient le stand samedi' }).waitFor();
    await a.page.waitForTimeout(200);
    expect(await placeOf(a.page, 'Qui tient le stand samedi')).toEqual(allTrue);
    await e.running.app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Et dimanche ?' });
    await a.page.locator('.msg', { hasText: 'Et dimanche' }).waitFor();
    await a.page.waitForTimeout(200);
    expect(await placeOf(a.page, 'Et dimanche')).toEqual(allTrue);
    expect(await placeOf(a.page, 'Qui tient le stand samedi')).toMatchObject({ last: false, inOrder: true, aboveComposerOnScreen: true });

    await a.page.locator('#chat-body').fill('Moi, samedi !');
    await a.page.locator('#chat-body').press('Enter');
    await a.page.locator('.msg:not(.pending)', { hasText: 'Moi, samedi' }).waitFor();
    await a.page.waitForTimeout(200);
    expect(await placeOf(a.page, 'Moi, samedi')).toEqual(allTrue);

    // Someone scrolled up to read older messages is not pulled down; the message still goes last.
    await a.page.evaluate(() => window.scrollTo(0, 0));
    await e.running.app.chat.send(await bob.actor(), { roomId, key: key(), body: 'Parfait, merci' });
    await a.page.locator('.msg', { hasText: 'Parfait, merci' }).waitFor();
    await a.page.waitForTimeout(200);
    expect(await a.page.evaluate(() => window.scrollY)).toBe(0);
    expect(await placeOf(a.page, 'Parfait, merci')).toMatchObject({ last: true, inOrder: true, beforeComposerInPage: true });
    // The composer stays fixed at the bottom of the screen; scrolling down to the end shows the
    // message just above it, not under it.
    await a.page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await a.page.waitForTimeout(100);
    expect(await placeOf(a.page, 'Parfait, merci')).toEqual(allTrue);
    await a.context.close();
  });

  it('without JavaScript, a posted message shows above the composer too', async () => {
    const b = await e.newPage({ javaScriptEnabled: false });
    await b.page.setViewportSize({ width: 390, height: 844 });
    await e.signIn(b.context, bob.id);
    await b.page.goto(`/groups/${slug}/chat`);
    await b.page.locator('#chat-body').fill('Sans JavaScript aussi');
    await b.page.locator('form.composer button', { hasText: 'Envoyer' }).click();
    await b.page.waitForURL(/#m-/);
    expect(await placeOf(b.page, 'Sans JavaScript aussi')).toMatchObject({ last: true, inOrder: true, beforeComposerInPage: true, aboveComposerOnScreen: true, notCovered: true });
    await b.context.close();
  });
});
