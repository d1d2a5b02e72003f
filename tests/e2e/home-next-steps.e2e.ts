/**
 * Home after setup and in daily use: the administrator's checklist ticks itself and can be
 * put away; chats with unread messages (a group's chat, a direct conversation) show on
 * home and in the navigation as they arrive, and leave once read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { addMember, chatUser, key } from '../support/chat-factories';
import type { UserId } from '../../src/lib/server/kernel/ids';

let e: E2E;
let adminId: UserId;
beforeAll(async () => {
  e = await startE2E();
  adminId = (await e.running.app.instance.setup({ associationName: 'Zinne', name: 'Camille Dubois', email: 'camille@example.org', password: 'a long password' })).id as UserId;
});
afterAll(async () => {
  await e?.close();
});

const steps = (page: Page) => page.locator('[data-step]').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-step')}:${el.getAttribute('data-done')}`));

describe('home', () => {
  it('gives the administrator a checklist that ticks itself and can be put away', async () => {
    const a = await e.newPage();
    await a.page.setViewportSize({ width: 390, height: 844 });
    await e.signIn(a.context, adminId);
    await a.page.goto('/');
    await a.page.getByRole('heading', { name: 'Pour bien démarrer votre association' }).waitFor();
    expect(await steps(a.page)).toEqual(['group:0', 'invite:0', 'mail:0']);
    // Mail is explained: where it goes now, and the two settings that send it.
    await a.page.getByText('SMTP_URL').waitFor();
    await a.page.getByText(/actuellement localhost/).waitFor();

    await a.page.getByRole('link', { name: 'Créer un groupe' }).click();
    await a.page.getByLabel('Nom', { exact: true }).fill('Marchés');
    await a.page.getByRole('button', { name: 'Créer le groupe' }).click();
    await a.page.waitForURL(/\/groups\/marches$/);
    await a.page.goto('/');
    expect(await steps(a.page)).toEqual(['group:1', 'invite:0', 'mail:0']);
    await a.page.getByRole('link', { name: 'Inviter des personnes dans l’association' }).click();
    await a.page.getByRole('button', { name: 'Créer un lien' }).click();
    await a.page.getByText('Voici le lien.').waitFor();
    await a.page.goto('/');
    expect(await steps(a.page)).toEqual(['group:1', 'invite:1', 'mail:0']);
    await a.page.getByText('Encore une étape.').waitFor();

    await a.page.getByRole('button', { name: 'Masquer cette liste' }).click();
    await a.page.getByText('La liste est masquée.').waitFor();
    await a.page.goto('/');
    expect(await a.page.locator('[data-step]').count()).toBe(0);
    await a.context.close();
  });

  it('shows chats with unread messages on home and in the navigation, live, until read', async () => {
    const app = e.running.app;
    const g = await app.db.selectFrom('groups').select(['id', 'slug']).where('slug', '=', 'marches').executeTakeFirstOrThrow();
    const anne = await chatUser(app, { name: 'Anne Peeters', locale: 'fr' });
    const bob = await chatUser(app, { name: 'Bob Janssens', locale: 'fr' });
    await addMember(app, g.id, anne.id);
    await addMember(app, g.id, bob.id);
    const roomId = (await app.chat.groupChat(await anne.actor(), { slug: g.slug })).room.id;

    const b = await e.newPage();
    await b.page.setViewportSize({ width: 390, height: 844 });
    await e.signIn(b.context, bob.id);
    await b.page.goto('/');
    await b.page.getByText('Aucun message non lu.').waitFor();
    await b.page.locator('[data-live-chats="watching"]').waitFor({ state: 'attached' });
    const badge = b.page.getByTestId('chats-unread');
    expect(await badge.count()).toBe(0);

    // A message in the group's chat: on home and in the navigation, without reloading.
    await app.chat.send(await anne.actor(), { roomId, key: key(), body: 'Qui tient le stand ?' });
    const groupRow = b.page.locator('[data-chat]', { hasText: 'Marchés — chat' });
    await groupRow.getByText('1 non lu').waitFor({ timeout: 10000 });
    expect(await badge.locator('[aria-hidden]').textContent()).toBe('1');
    // A direct message too.
    const dm = await app.chat.openDirect(await anne.actor(), { people: bob.id });
    await app.chat.send(await anne.actor(), { roomId: dm.roomId, key: key(), body: 'Psst' });
    await b.page.locator('[data-chat]', { hasText: 'Anne Peeters' }).getByText('1 non lu').waitFor({ timeout: 10000 });
    expect(await badge.locator('[aria-hidden]').textContent()).toBe('2');

    // Reading the group's chat takes it off; the direct conversation stays.
    await groupRow.getByRole('link').click();
    await b.page.waitForURL(/\/groups\/marches\/chat/);
    await b.page.getByText('Qui tient le stand ?').waitFor();
    await b.page.getByTestId('app-nav').getByRole('link', { name: 'Accueil' }).click();
    await b.page.waitForURL((u) => u.pathname === '/');
    await b.page.locator('[data-chat]', { hasText: 'Anne Peeters' }).waitFor();
    expect(await b.page.locator('[data-chat]').count()).toBe(1);
    expect(await badge.locator('[aria-hidden]').textContent()).toBe('1');
    await b.context.close();
  });
});
