/**
 * Accessibility: axe-core (WCAG 2.1 A/AA rules, contrast included) on the main pages of the
 * demo association, for a visitor and a member, in French, Dutch and English, on a phone
 * viewport. Any violation fails with its rule and the offending elements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import { startE2E, type E2E } from './support';
import { loadDemo } from '../../src/cli/demo';
import { SESSION_COOKIE } from '../../src/lib/server/domain/accounts/sessions';

let e: E2E;
let discussionId: string;
beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.running.app, () => {});
  discussionId = (await e.running.app.db.selectFrom('discussions').select('id').where('title', 'like', 'Ordre du jour%').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await e?.close();
});

async function audit(who: 'visitor' | string, locale: string, paths: string[]) {
  const { context, page } = await e.newPage({ locale });
  await page.setViewportSize({ width: 390, height: 844 });
  if (who !== 'visitor') {
    const user = await e.running.app.db.selectFrom('users').select('id').where('email', '=', who).executeTakeFirstOrThrow();
    await e.running.app.db.updateTable('users').set({ locale: locale.slice(0, 2) }).where('id', '=', user.id).execute();
    const s = await e.running.app.sessions.start(user.id as never, 'axe');
    await context.addCookies([{ name: SESSION_COOKIE, value: s.token, url: e.url }]);
  }
  const problems: string[] = [];
  for (const p of paths) {
    const res = await page.goto(p);
    expect(res?.status(), p).toBeLessThan(400);
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of r.violations) problems.push(`${p}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  }
  await context.close();
  return problems;
}

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('the audit does catch a violation (an unlabelled field injected into a page)', async () => {
    const { context, page } = await e.newPage();
    await page.goto('/login', { waitUntil: 'networkidle' });
    // Appended to <body>, outside the app's root, so hydration cannot remove it.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<main><input type="text" id="nolabel"></main>'));
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(r.violations.map((v) => v.id)).toContain('label');
    await context.close();
  });
  it('visitor pages in French', async () => {
    expect(await audit('visitor', 'fr-BE', ['/', '/login', '/groups', '/groups/communication', '/groups/communication/discussions', '/forgot'])).toEqual([]);
  });
  it('member pages in Dutch', async () => {
    expect(
      await audit('pieter@demo.ruche.local', 'nl-BE', ['/', '/groups', '/groups/coordination', '/groups/coordination/discussions', `/d/${discussionId}`, '/groups/coordination/discussions/new', '/search?q=budget', '/profile', '/profile/email', '/groups/coordination/email', '/groups/coordination/members', '/groups/coordination/chat', '/messages']),
    ).toEqual([]);
  });
  it('the chat’s message menu in French: opened by its link, and as the room’s dialog', async () => {
    const app = e.running.app;
    // The demo has no chat: two members write (one message with a reaction), so the page has messages, chips and menus.
    const actorOf = async (email: string) => app.sessions.actorFor((await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id as never);
    const pieterActor = await actorOf('pieter@demo.ruche.local');
    const roomId = (await app.chat.groupChat(pieterActor, { slug: 'coordination' })).room.id;
    const camille = await actorOf('camille@demo.ruche.local');
    const msg = (await app.chat.send(camille, { roomId, key: `axe-${Date.now()}-a`, body: 'Qui prépare **l’ordre du jour** ?' })).message;
    await app.chat.send(pieterActor, { roomId, key: `axe-${Date.now()}-b`, body: 'Moi, ce soir.', parentId: msg.id });
    await app.chat.react(pieterActor, { messageId: msg.id, emoji: '👍', on: true });
    expect(await audit('pieter@demo.ruche.local', 'fr-BE', [`/groups/coordination/chat?actions=${msg.id}`])).toEqual([]);
    const { context, page } = await e.newPage({ locale: 'fr-BE' });
    await page.setViewportSize({ width: 390, height: 844 });
    const pieter = await app.db.selectFrom('users').select('id').where('email', '=', 'pieter@demo.ruche.local').executeTakeFirstOrThrow();
    await e.signIn(context, pieter.id);
    await page.goto('/groups/coordination/chat');
    await page.locator(`#m-${msg.id} > .line > [data-testid="message-actions"]`).click();
    await page.getByRole('dialog').waitFor();
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`)).toEqual([]);
    await context.close();
  });
  it('account security and API tokens pages in French', async () => {
    expect(await audit('pieter@demo.ruche.local', 'fr-BE', ['/profile/security', '/profile/advanced'])).toEqual([]);
  });
  const taskPages = async () => {
    const task = (await e.running.app.db.selectFrom('tasks').select('id').where('title', 'like', 'Welkomstpakket%').executeTakeFirstOrThrow()).id;
    return { task, pages: ['/groups/prestataires/tasks', '/groups/prestataires/tasks?view=list&assignee=me', `/tasks/${task}`, '/tasks', '/groups/prestataires/tasks/new', '/groups/prestataires/tasks/settings'] };
  };
  it('task pages in Dutch for a group admin: board, list, task, my tasks, new task, columns and labels', async () => {
    expect(await audit('pieter@demo.ruche.local', 'nl-BE', (await taskPages()).pages)).toEqual([]);
  }, 180_000);
  it('task pages in French for a member, and in English for a visitor', async () => {
    const { task, pages } = await taskPages();
    expect(await audit('sofie@demo.ruche.local', 'fr-BE', pages)).toEqual([]);
    expect(await audit('visitor', 'en-GB', ['/groups/prestataires/tasks', `/tasks/${task}`])).toEqual([]);
  }, 180_000);
  describe('deciding and meeting', () => {
    const db = () => e.running.app.db;
    const poll = async (title: string) => (await db().selectFrom('polls').select('id').where('title', 'like', `${title}%`).executeTakeFirstOrThrow()).id;
    const event = async (title: string) => (await db().selectFrom('calendarEvents').select('id').where('title', '=', title).executeTakeFirstOrThrow()).id;
    it('a visitor in French: an open group’s month, a date poll’s guest link', async () => {
      const app = e.running.app;
      const camille = (await db().selectFrom('users').select('id').where('email', '=', 'camille@demo.ruche.local').executeTakeFirstOrThrow()).id;
      const guest = (await app.decide.poll(await app.sessions.actorFor(camille as never), { pollId: await poll('Assemblée générale') })).guestLink!;
      const month = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 7);
      expect(await audit('visitor', 'fr-BE', [`/groups/marches/agenda?month=${month}`, guest])).toEqual([]);
    });
    it('a member in Dutch: a date poll, a proposal, the decision log searched, the agenda', async () => {
      expect(await audit('pieter@demo.ruche.local', 'nl-BE', [`/polls/${await poll('Assemblée générale')}`, `/polls/${await poll('Adopter la charte')}`, '/groups/coordination/decisions?q=commission', '/groups/coordination/agenda'])).toEqual([]);
    });
    it('a member in Dutch: a meeting with its agenda, the minutes of the last one', async () => {
      expect(await audit('pieter@demo.ruche.local', 'nl-BE', [`/events/${await event('Réunion de coordination régionale')}`, `/events/${await event('Réunion de coordination')}/minutes`])).toEqual([]);
    });
    it('an admin in English: a new date poll, editing an event, a choice poll', async () => {
      expect(await audit('camille@demo.ruche.local', 'en-GB', ['/groups/coordination/polls/new?kind=date', `/events/${await event('Réunion de coordination régionale')}/edit`, `/polls/${await poll('Quel visuel')}`])).toEqual([]);
    });
  });
  it('admin pages in English', async () => {
    expect(await audit('camille@demo.ruche.local', 'en-GB', ['/', '/admin', '/admin/users', '/admin/outbox', '/profile/advanced', '/groups/new', '/groups/coordination/edit', '/groups/coordination/invite'])).toEqual([]);
  });
});
