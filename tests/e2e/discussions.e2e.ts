import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { addMember, makeGroup } from '../support/discussions-factories';
import { SESSION_COOKIE } from '../../src/lib/server/domain/accounts/sessions';

/** Discussions journeys: two members in two browsers, then one without JavaScript. */
let e: E2E;
let group: { id: string; slug: string };
const users: Record<string, { id: string }> = {};

async function signedIn(who: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const app = e.running.app;
  const s = await app.sessions.start(users[who].id as never, 'e2e');
  const { context, page } = await e.newPage(opts);
  await context.addCookies([{ name: SESSION_COOKIE, value: s.token, url: e.url }]);
  return { context, page };
}

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Ada Admin', email: 'ada@example.org', password: 'un long mot de passe' });
  for (const [handle, name] of [['anne', 'Anne Peeters'], ['bert', 'Bert Janssens'], ['chloe', 'Chloé Dubois']]) {
    users[handle] = await insertUser(app.deps, app.db, { email: `${handle}@example.org`, name, handle, locale: 'fr' });
  }
  group = await makeGroup(app, { name: 'Monnaie locale', slug: 'monnaie', visibility: 'closed', createdBy: users.anne.id });
  for (const h of ['anne', 'bert', 'chloe']) await addMember(app, group.id, users[h].id);
});
afterAll(async () => {
  await e?.close();
});

const groupRow = (page: Page) => page.locator(`[data-group="monnaie"]`);

describe('discussions', () => {
  it('A posts mentioning @bert, B sees it unread, reads it, replies; A then has 1 new', async () => {
    const a = await signedIn('anne');
    await a.page.goto('/groups/monnaie/discussions/new');
    await a.page.getByLabel('Titre').fill('Assemblée de printemps');
    const body = a.page.getByRole('textbox', { name: /^Message/ });
    await body.click();
    await body.pressSequentially('Bonjour @be');
    const option = a.page.getByRole('option', { name: /@bert/ });
    await option.waitFor();
    await body.press('Enter');
    await body.pressSequentially('tu viens samedi ?');
    expect(await body.inputValue()).toBe('Bonjour @bert tu viens samedi ?');
    await a.page.getByRole('button', { name: 'Aperçu' }).click();
    await a.page.locator('.preview a.mention').waitFor();
    await a.page.getByRole('button', { name: 'Écrire' }).click();
    await a.page.getByRole('button', { name: 'Lancer la discussion' }).click();
    await a.page.waitForURL(/\/d\//);
    await a.page.getByRole('heading', { name: 'Assemblée de printemps' }).waitFor();
    const url = a.page.url();
    // A moves on: a discussion left open live-refreshes, and shows (so reads) B's reply.
    await a.page.goto('/');

    const b = await signedIn('bert');
    await b.page.goto('/');
    expect(await groupRow(b.page).locator('.badge').textContent()).toBe('1 nouveau');
    const mention = b.page.getByRole('link', { name: 'Assemblée de printemps' }).first();
    expect(await b.page.locator('#h-mentions + ul').textContent()).toContain('Anne Peeters vous a mentionné·e dans');
    await mention.click();
    await b.page.waitForURL(/\/d\//);
    await b.page.getByText('Vous avez tout lu.').waitFor();
    await b.page.goto('/');
    expect(await groupRow(b.page).textContent()).toContain('rien de neuf');

    // B starts typing, leaves, comes back: the draft is restored from the server.
    await b.page.goto(url);
    const reply = b.page.getByRole('textbox', { name: /^Votre réponse/ });
    await reply.fill('Oui, je serai là !');
    await b.page.getByText('Brouillon enregistré.').waitFor({ timeout: 10_000 });
    await b.page.goto('/');
    await b.page.goto(url);
    expect(await b.page.getByRole('textbox', { name: /^Votre réponse/ }).inputValue()).toBe('Oui, je serai là !');
    await b.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await b.page.locator('.comment', { hasText: 'Oui, je serai là !' }).waitFor();

    await a.page.goto('/');
    expect(await groupRow(a.page).locator('.badge').textContent()).toBe('1 nouveau');
    await a.page.goto(url);
    await a.page.locator('#unread').waitFor({ state: 'attached' });
    await a.page.getByRole('link', { name: 'Ajouter une réaction' }).first().click();
    await a.page.getByRole('button', { name: 'Réagir avec 🎉' }).click();
    await a.page.getByRole('button', { name: 'Réagir avec 🎉 (1)' }).first().waitFor();
    // The reply's shared part (author, date, text) came once in the page, not again in its
    // hydration data; a refresh of the data (this reaction) brings it back in place.
    const html = await (await a.page.request.get(url)).text();
    expect(html.split('Oui, je serai là !').length - 1).toBe(1);
    const replyItem = a.page.locator('.comment', { hasText: 'Oui, je serai là !' });
    await replyItem.getByRole('link', { name: 'Ajouter une réaction' }).click();
    await a.page.getByRole('button', { name: 'Réagir avec 👍' }).click();
    await replyItem.getByRole('button', { name: 'Réagir avec 👍 (1)' }).waitFor();
    expect((await replyItem.locator('.prose').textContent())?.trim()).toBe('Oui, je serai là !');
    expect(await replyItem.locator('strong').textContent()).toBe('Bert Janssens');
    expect(await a.page.locator('.comment').count()).toBe(1);
    await a.context.close();
    await b.context.close();
  });

  it('without JavaScript: a reply through the plain form, keeping the text on a validation error', async () => {
    const app = e.running.app;
    const c = await signedIn('chloe', { javaScriptEnabled: false });
    await c.page.goto('/groups/monnaie/discussions');
    await c.page.getByRole('link', { name: 'Assemblée de printemps' }).click();
    await c.page.waitForURL(/\/d\//);
    const reply = c.page.getByLabel(/^Votre réponse/);
    await reply.fill('   ');
    await c.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await c.page.getByText('Ce champ est obligatoire.').waitFor();
    await c.page.getByLabel(/^Votre réponse/).fill('Je **viens** aussi, sans JavaScript.');
    await c.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await c.page.locator('.comment strong', { hasText: 'viens' }).waitFor();
    const n = await app.db.selectFrom('comments').select('id').execute();
    expect(n).toHaveLength(2);
    // A reaction through the palette page, then back to the reply.
    await c.page.locator('.comment', { hasText: 'viens' }).getByRole('link', { name: 'Ajouter une réaction' }).click();
    await c.page.getByRole('button', { name: 'Réagir avec 👀' }).click();
    await c.page.waitForURL(/\/d\/[^/]+#c-/);
    await c.page.locator('.comment', { hasText: 'viens' }).getByRole('button', { name: 'Réagir avec 👀 (1)' }).waitFor();
    await c.page.goto('/search?q=JavaScript');
    await c.page.locator('mark', { hasText: 'JavaScript' }).first().waitFor();
    await c.context.close();
  });

  it('JSON API: list, create, reply, react, read marks, drafts, search; hidden from non-members', async () => {
    const app = e.running.app;
    const cookieOf = async (who: string) => `${SESSION_COOKIE}=${(await app.sessions.start(users[who].id as never, 'api')).token}`;
    const call = async (who: string | null, method: string, path: string, body?: unknown) => {
      const headers: Record<string, string> = { accept: 'application/json', 'accept-language': 'en' };
      if (who) headers.cookie = await cookieOf(who);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${e.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: (await res.json()) as any };
    };
    const created = await call('anne', 'POST', '/discussions', { groupSlug: 'monnaie', title: 'Budget 2027', body: 'Propositions pour le **budget**' });
    expect(created.status).toBe(201);
    const id = created.json.id;
    expect(created.json.bodyHtml).toContain('<strong>budget</strong>');
    const bad = await call('anne', 'POST', '/discussions', { groupSlug: 'monnaie', title: '', body: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.issues[0]).toMatchObject({ path: 'title', code: 'required', message: 'Ce champ est obligatoire.' });

    const list = await call('bert', 'GET', '/discussions?group=monnaie&limit=1');
    expect(list.json.items.map((d: { title: string }) => d.title)).toEqual(['Budget 2027']);
    expect(list.json.items[0].newCount).toBe(1);
    expect(list.json.next).not.toBeNull();

    const reply = await call('bert', 'POST', `/discussions/${id}/comments`, { body: 'Bonne idée @anne' });
    expect(reply.status).toBe(201);
    const edited = await call('bert', 'PATCH', `/discussions/comments/${reply.json.id}`, { body: 'Très bonne idée @anne' });
    expect(edited.json.editedAt).not.toBeNull();
    expect((await call('anne', 'PATCH', `/discussions/comments/${reply.json.id}`, { body: 'no' })).status).toBe(403);
    const react = await call('anne', 'POST', '/discussions/reactions', { targetId: reply.json.id, emoji: '👍' });
    expect(react.json).toMatchObject({ added: true, reactions: [{ emoji: '👍', count: 1, mine: true }] });
    const thread = await call('anne', 'GET', `/discussions/${id}/comments`);
    expect(thread.json.comments).toHaveLength(1);
    const before = (await call('anne', 'GET', '/discussions?group=monnaie')).json.group.unreadCount;
    expect((await call('anne', 'POST', `/discussions/${id}/read`)).json.unreadCount).toBe(before - 1);
    expect((await call('bert', 'POST', '/discussions/read-all', { groupSlug: 'monnaie' })).json.unreadCount).toBe(0);

    const key = `comment:${id}`;
    expect((await call('chloe', 'PUT', `/drafts/${key}`, { body: 'je réfléchis' })).json.draft.body).toBe('je réfléchis');
    expect((await call('chloe', 'GET', `/drafts/${key}`)).json.draft.body).toBe('je réfléchis');
    expect((await call('chloe', 'DELETE', `/drafts/${key}`)).status).toBe(200);
    expect((await call('chloe', 'GET', `/drafts/${key}`)).json.draft).toBeNull();

    const found = await call('chloe', 'GET', '/search?q=budget');
    expect(found.json.hits.map((h: { title: string }) => h.title)).toContain('Budget 2027');
    expect((await call('bert', 'GET', '/groups/monnaie/mention-candidates?q=ch')).json.items.map((u: { handle: string }) => u.handle)).toEqual(['chloe']);
    expect((await call('anne', 'POST', '/preview', { body: '*hi*' })).json.html).toContain('<em>hi</em>');

    // Ada (instance admin, not a member) sees everything; a visitor sees nothing of this closed group.
    for (const path of [`/discussions/${id}`, `/discussions/${id}/comments`, '/discussions?group=monnaie', `/discussions/comments/${reply.json.id}`])
      expect((await call(null, 'GET', path)).status, path).toBe(404);
    expect((await call(null, 'GET', '/search?q=budget')).json.hits).toEqual([]);
    expect((await call(null, 'POST', '/discussions/reactions', { targetId: id, emoji: '👍' })).status).toBe(404);

    const del = await call('anne', 'DELETE', `/discussions/${id}`);
    expect(del.status).toBe(200);
    expect((await call('anne', 'GET', `/discussions/${id}`)).json).toMatchObject({ deleted: true, body: null });
    const doc = await (await fetch(`${e.url}/api/v1/openapi.json`)).json();
    expect(doc.paths['/discussions/{id}/comments']).toBeDefined();
  });

  it("the discussion's actions sit in one menu: it opens by click or keyboard, closes on Escape, and works without JavaScript", async () => {
    const app = e.running.app;
    const d = await app.discussions.create(await app.sessions.actorFor(users.bert.id as never), { groupSlug: 'monnaie', title: 'Stand du samedi', body: 'Qui tient le stand ?' });
    // Anne moderates the group.
    await app.db.updateTable('memberships').set({ role: 'admin' }).where('groupId', '=', group.id).where('userId', '=', users.anne.id).execute();
    const a = await signedIn('anne');
    await a.page.goto(`/d/${d.id}`);
    const menu = a.page.getByTestId('post-actions');
    // Closed: nothing of it shows under the post.
    expect(await a.page.getByRole('button', { name: 'Épingler' }).isVisible()).toBe(false);
    await menu.click();
    await a.page.getByRole('button', { name: 'Épingler' }).click();
    await a.page.locator('.post .tag', { hasText: 'Épinglée' }).waitFor();
    expect(await a.page.getByRole('button', { name: 'Verrouiller' }).isVisible()).toBe(false);
    // Keyboard: Enter opens it, Escape closes it and gives the focus back.
    await menu.focus();
    await a.page.keyboard.press('Enter');
    await a.page.getByRole('button', { name: 'Désépingler' }).waitFor();
    await a.page.keyboard.press('Escape');
    expect(await a.page.getByRole('button', { name: 'Désépingler' }).isVisible()).toBe(false);
    expect(await a.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('post-actions');
    await a.context.close();

    // Chloé is a member, not a moderator: her menu has no pinning, locking or deleting.
    const c = await signedIn('chloe');
    await c.page.goto(`/d/${d.id}`);
    await c.page.getByTestId('post-actions').click();
    await c.page.getByRole('link', { name: 'En faire une tâche' }).waitFor();
    for (const name of ['Désépingler', 'Verrouiller', 'Supprimer la discussion']) expect(await c.page.getByRole('button', { name }).count()).toBe(0);
    expect(await c.page.getByText('Supprimer la discussion…').count()).toBe(0);
    await c.context.close();

    // Without JavaScript the menu is a disclosure the browser opens itself; its forms post as ever.
    const n = await signedIn('anne', { javaScriptEnabled: false });
    await n.page.goto(`/d/${d.id}`);
    await n.page.getByTestId('post-actions').click();
    await n.page.getByRole('button', { name: 'Verrouiller' }).click();
    await n.page.locator('.post .tag', { hasText: 'Verrouillée' }).waitFor();
    // Deleting asks once more before it happens.
    await n.page.getByTestId('post-actions').click();
    await n.page.getByText('Supprimer la discussion…').click();
    await n.page.getByText(/La supprimer pour tout le monde/).waitFor();
    expect((await app.discussions.open(await app.sessions.actorFor(users.anne.id as never), { discussionId: d.id })).discussion.deleted).toBe(false);
    await n.page.getByRole('button', { name: 'Oui, la supprimer' }).click();
    await n.page.waitForURL('**/groups/monnaie/discussions');
    expect(await n.page.getByText('Stand du samedi').count()).toBe(0);
    await n.context.close();
  });
});
