/**
 * Starting a direct message as a new member would: by name, with suggestions picked with
 * the keyboard, or typed in the form without JavaScript (a choice when a name fits several
 * people, a clear error when it fits nobody); and from a profile or a member list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { loadDemo } from '../../src/cli/demo';
import { insertUser } from '../../src/lib/server/domain/accounts/users';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.running.app, () => {});
  const app = e.running.app;
  const other = await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: 'fatima.b@example.org', name: 'Fatima Bensaïd', locale: 'fr' }));
  // A second Fatima, in an open group: people whose membership anyone may see are found by name.
  const open = await app.db.selectFrom('groups').select('id').where('visibility', '=', 'open').orderBy('slug').executeTakeFirstOrThrow();
  await app.db.insertInto('memberships').values({ groupId: open.id, userId: other.id, role: 'member', createdAt: new Date().toISOString(), readFloorSeq: 0, unreadCount: 0 }).execute();
});
afterAll(async () => {
  await e?.close();
});

async function signInAs(context: BrowserContext, email: string) {
  const u = await e.running.app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  await e.signIn(context, u.id);
}
const conversationTitle = (page: import('playwright-core').Page) => page.locator('#chat-title').textContent();

describe('starting a direct message', () => {
  it('by name, picking a suggestion with the keyboard', async () => {
    const a = await e.newPage();
    await a.page.setViewportSize({ width: 390, height: 844 });
    await signInAs(a.context, 'amina@demo.ruche.local');
    await a.page.goto('/messages');
    const who = a.page.getByRole('combobox', { name: /^Avec/ });
    await who.pressSequentially('el amr', { delay: 40 });
    const option = a.page.getByRole('option', { name: /Fatima El Amrani/ });
    await option.waitFor();
    expect(await who.getAttribute('aria-expanded')).toBe('true');
    expect(await a.page.getByRole('option').count()).toBe(1);
    await who.press('Enter');
    await a.page.getByRole('button', { name: 'Retirer Fatima El Amrani' }).waitFor();
    expect(await who.inputValue()).toBe('');
    // A second person, found without the accent of her name.
    await who.pressSequentially('ines', { delay: 40 });
    await a.page.getByRole('option', { name: /Inès Moreau/ }).waitFor();
    await who.press('ArrowDown');
    await who.press('Enter');
    await a.page.getByRole('button', { name: 'Retirer Inès Moreau' }).waitFor();
    await a.page.getByRole('button', { name: 'Commencer' }).click();
    await a.page.waitForURL(/\/messages\/[0-9a-f-]{36}#composer$/);
    expect(await conversationTitle(a.page)).toBe('Fatima El Amrani, Inès Moreau');
    await a.context.close();
  });

  it('without JavaScript: a name that fits one member starts the conversation, several offer a choice, none says so', async () => {
    const a = await e.newPage({ javaScriptEnabled: false });
    await a.page.setViewportSize({ width: 390, height: 844 });
    await signInAs(a.context, 'tom@demo.ruche.local');
    await a.page.goto('/messages');
    // Tom's account is in Dutch.
    const who = a.page.getByLabel(/^Met/);
    await who.fill('Pieter');
    await a.page.getByRole('button', { name: 'Starten' }).click();
    await a.page.waitForURL(/\/messages\/[0-9a-f-]{36}#composer$/);
    expect(await conversationTitle(a.page)).toBe('Pieter Janssens');

    await a.page.goto('/messages');
    await a.page.getByLabel(/^Met/).fill('Zorglub');
    await a.page.getByRole('button', { name: 'Starten' }).click();
    await a.page.getByRole('alert').filter({ hasText: 'Geen enkel lid komt overeen met “Zorglub”' }).waitFor();
    expect(await a.page.locator('main').textContent()).not.toMatch(/\{\w+\}/);

    await a.page.getByLabel(/^Met/).fill('Fatima, Pieter');
    await a.page.getByRole('button', { name: 'Starten' }).click();
    await a.page.getByRole('group', { name: 'Meerdere leden komen overeen met “Fatima”:' }).waitFor();
    await a.page.getByText('Al in het gesprek: Pieter Janssens.').waitFor();
    await a.page.getByRole('checkbox', { name: /Fatima El Amrani/ }).check();
    await a.page.locator('.choose').getByRole('button', { name: 'Starten' }).click();
    await a.page.waitForURL(/\/messages\/[0-9a-f-]{36}#composer$/);
    expect(await conversationTitle(a.page)).toBe('Fatima El Amrani, Pieter Janssens');
    await a.context.close();
  });

  it('from a profile and from a group’s member list', async () => {
    const a = await e.newPage({ javaScriptEnabled: false });
    await signInAs(a.context, 'clara@demo.ruche.local');
    await a.page.goto('/u/sofie_claes');
    await a.page.getByRole('button', { name: 'Send a message' }).click();
    await a.page.waitForURL(/\/messages\/[0-9a-f-]{36}#composer$/);
    expect(await conversationTitle(a.page)).toBe('Sofie Claes');
    // One's own profile has no such button.
    await a.page.goto('/u/clara_rossi');
    expect(await a.page.getByRole('button', { name: 'Send a message' }).count()).toBe(0);

    await a.page.goto('/groups/communication/members');
    expect(await a.page.getByRole('button', { name: 'Send a message to Clara Rossi' }).count()).toBe(0);
    await a.page.getByRole('button', { name: 'Send a message to Fatima El Amrani' }).click();
    await a.page.waitForURL(/\/messages\/[0-9a-f-]{36}#composer$/);
    expect(await conversationTitle(a.page)).toBe('Fatima El Amrani');
    await a.context.close();
  });
});

describe('a message’s menu in a direct conversation', () => {
  it('opens by its link without JavaScript (no discussion or task here) and as the room’s one dialog with it', async () => {
    const app = e.running.app;
    const id = async (email: string) => (await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const clara = await app.sessions.actorFor((await id('clara@demo.ruche.local')) as never);
    const { roomId } = await app.chat.openDirect(clara, { handles: 'sofie_claes' });
    const sent = (await app.chat.send(clara, { roomId, key: `menu-${Date.now()}`, body: 'On se voit jeudi ?' })).message;

    const a = await e.newPage({ javaScriptEnabled: false });
    await signInAs(a.context, 'clara@demo.ruche.local');
    await a.page.goto(`/messages/${roomId}`);
    const line = a.page.locator(`#m-${sent.id}`);
    await Promise.all([a.page.waitForURL(/actions=/), line.getByLabel('Actions on the message from Clara Rossi').click()]);
    const menu = line.getByTestId('message-menu');
    expect(await menu.getByText('Edit').count()).toBe(1);
    expect(await menu.getByText('Make a discussion from this').count()).toBe(0);
    await Promise.all([a.page.waitForURL(/#m-/), menu.getByRole('button', { name: 'React with 👍' }).click()]);
    expect(await line.getByRole('button', { name: 'React with 👍 (1)' }).getAttribute('aria-pressed')).toBe('true');

    const b = await e.newPage();
    await signInAs(b.context, 'sofie@demo.ruche.local');
    await b.page.goto(`/messages/${roomId}`);
    await b.page.locator('.status.live').waitFor();
    const theirs = b.page.locator(`#m-${sent.id}`);
    await theirs.getByTestId('message-actions').click();
    const dialog = b.page.getByRole('dialog', { name: /Clara Rossi/ });
    await dialog.waitFor();
    // Not hers: no edit, no delete.
    expect(await dialog.getByRole('button', { name: /Bewerken|Edit|Modifier/ }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: /Verwijderen|Delete|Supprimer/ }).count()).toBe(0);
    await dialog.getByRole('button', { name: /❤️/ }).click();
    await theirs.getByRole('button', { name: /❤️ \(1\)/ }).waitFor();
    await a.context.close();
    await b.context.close();
  });
});
