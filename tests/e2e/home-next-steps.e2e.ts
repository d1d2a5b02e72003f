/**
 * Home after setup and in daily use: the administrator's checklist ticks itself and can be
 * put away; chats with unread messages (a group's chat, a direct conversation) show on
 * home and in the navigation as they arrive, and leave once read; polls and events waiting for
 * a member's answer show on home, an event one tap from "I'm coming", with or without JavaScript.
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
  it('lists what waits for my answer: a proposal and an event; "I’m coming" from home, with and without JavaScript', async () => {
    const app = e.running.app;
    const g = await app.db.selectFrom('groups').select(['id', 'slug']).where('slug', '=', 'marches').executeTakeFirstOrThrow();
    const ines = await chatUser(app, { name: 'Inès Martin', locale: 'fr' });
    await addMember(app, g.id, ines.id);
    const admin = await app.sessions.actorFor(adminId);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const proposal = await app.decide.createPoll(admin, { groupSlug: g.slug, kind: 'proposal', title: 'Adopter la charte du marché', timeZone: 'Europe/Brussels', deadlineDate: day(5) });
    await app.decide.createEvent(admin, { groupSlug: g.slug, title: 'Marché de la Saint-Nicolas', timeZone: 'Europe/Brussels', startDate: day(3), startTime: '09:00', endTime: '13:00' });
    await app.decide.createEvent(admin, { groupSlug: g.slug, title: 'Réunion des bénévoles', timeZone: 'Europe/Brussels', startDate: day(6), startTime: '19:00', endTime: '21:00' });

    for (const js of [true, false]) {
      const b = await e.newPage({ javaScriptEnabled: js });
      await b.page.setViewportSize({ width: 390, height: 844 });
      await e.signIn(b.context, ines.id);
      await b.page.goto('/');
      const needs = b.page.getByTestId('needs-me');
      await needs.getByRole('heading', { name: 'On attend votre réponse' }).waitFor();
      expect(await needs.locator(`[data-poll="${proposal.id}"]`).getByRole('link').textContent()).toBe('Adopter la charte du marché');
      const title = js ? 'Marché de la Saint-Nicolas' : 'Réunion des bénévoles';
      if (js) await b.page.screenshot({ path: `${process.env.TMPDIR ?? '/tmp'}/ruche-home-answers.png`, fullPage: true });
      await needs.getByRole('button', { name: `Je viens : « ${title} »` }).click();
      await b.page.getByText('Votre réponse est enregistrée.').waitFor();
      await b.page.goto('/');
      await b.page.getByTestId('needs-me').waitFor();
      expect(await b.page.getByTestId('needs-me').locator('[data-event]', { hasText: title }).count()).toBe(0);
      await b.context.close();
    }
    const answers = await app.db.selectFrom('eventRsvps').select('answer').where('userId', '=', ines.id).execute();
    expect(answers.map((a) => a.answer)).toEqual(['yes', 'yes']);
  });
});
