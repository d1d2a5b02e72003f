import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { BrowserContext, Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { addMember, makeGroup } from '../support/discussions-factories';
import { SESSION_COOKIE } from '../../src/lib/server/domain/accounts/sessions';
import type { UserId } from '../../src/lib/server/kernel/ids';

/**
 * Tasks journeys: a reply becomes a task assigned to a member, who finds it in My tasks,
 * takes another one with "I'll take it", moves it to done with the keyboard on a desktop,
 * drags a card with the mouse while another member's open board follows,
 * and the first one with the "Move to…" form on a phone without JavaScript; a reminder mail's
 * "done" link asks first, works once and only for its member. Phone screenshots (390×844) of
 * the board, the list, the task page and My tasks go to $TMPDIR/ruche-tasks-shots (not in git).
 */
let e: E2E;
let group: { id: string; slug: string };
const users: Record<string, { id: string }> = {};
const shots = path.join(os.tmpdir(), 'ruche-tasks-shots');
const PHONE = { width: 390, height: 844 };

async function signedIn(who: string, opts: { javaScriptEnabled?: boolean; phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const app = e.running.app;
  const s = await app.sessions.start(users[who].id as never, 'e2e');
  const context = await e.browser.newContext({ javaScriptEnabled: opts.javaScriptEnabled ?? true, locale: 'fr-BE', baseURL: e.url, viewport: opts.phone ? PHONE : { width: 1280, height: 900 }, isMobile: opts.phone, hasTouch: opts.phone });
  await context.addCookies([{ name: SESSION_COOKIE, value: s.token, url: e.url }]);
  return { context, page: await context.newPage() };
}
const actor = (who: string) => e.running.app.sessions.actorFor(users[who].id as UserId);
const columnOf = async (taskId: string) => {
  const r = await e.running.app.db.selectFrom('tasks').innerJoin('taskColumns', 'taskColumns.id', 'tasks.columnId').select(['taskColumns.preset', 'tasks.completedAt']).where('tasks.id', '=', taskId).executeTakeFirstOrThrow();
  return r.preset;
};

beforeAll(async () => {
  e = await startE2E();
  fs.mkdirSync(shots, { recursive: true });
  const app = e.running.app;
  await app.instance.setup({ associationName: 'Zinne', name: 'Ada Admin', email: 'ada@example.org', password: 'un long mot de passe' });
  for (const [handle, name] of [['anne', 'Anne Peeters'], ['bert', 'Bert Janssens']]) users[handle] = await insertUser(app.deps, app.db, { email: `${handle}@example.org`, name, handle, locale: 'fr' });
  group = await makeGroup(app, { name: 'Marché de Saint-Gilles', slug: 'marche', visibility: 'closed', createdBy: users.anne.id });
  for (const h of ['anne', 'bert']) await addMember(app, group.id, users[h].id);
});
afterAll(async () => {
  await e?.close();
});

describe('tasks', () => {
  let fromReply = '';
  let gobelets = '';

  it('a reply becomes a task assigned to Bert, shown on the reply; Bert finds it on his home and in My tasks', async () => {
    const app = e.running.app;
    const d = await app.discussions.create(await actor('anne'), { groupSlug: 'marche', title: 'Stand de décembre', body: 'Qui fait quoi pour le marché ?' });
    const reply = await app.discussions.reply(await actor('bert'), { discussionId: d.id, body: 'Il faudrait réserver la tonnelle à la commune.' });
    const a = await signedIn('anne');
    await a.page.goto(`/d/${d.id}`);
    await a.page.locator(`#c-${reply.id}`).getByRole('link', { name: 'En faire une tâche' }).click();
    await a.page.waitForURL(/\/groups\/marche\/tasks\/new\?from=comment/);
    expect(await a.page.getByLabel('Titre').inputValue()).toBe('Il faudrait réserver la tonnelle à la commune.');
    await a.page.getByLabel('Titre').fill('Réserver la tonnelle');
    await a.page.getByRole('checkbox', { name: /Bert Janssens/ }).check();
    await a.page.getByLabel('Échéance').first().fill('2026-12-12');
    await a.page.getByRole('button', { name: 'Créer la tâche' }).click();
    await a.page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    await a.page.getByRole('heading', { name: 'Réserver la tonnelle' }).waitFor();
    fromReply = a.page.url().split('/').pop()!;
    expect(await a.page.locator('.props').textContent()).toContain('Bert Janssens');
    // The reply shows the task, with its status.
    await a.page.goto(`/d/${d.id}`);
    const chip = a.page.locator(`#c-${reply.id} [data-task-chip]`);
    expect(await chip.textContent()).toContain('Réserver la tonnelle (À faire)');
    await a.context.close();

    const b = await signedIn('bert', { phone: true });
    // Home says what needs Bert now: the task, with its one-tap "done".
    await b.page.goto('/');
    const needs = b.page.getByTestId('needs-me');
    await needs.locator(`[data-task="${fromReply}"]`).getByRole('link', { name: 'Réserver la tonnelle' }).waitFor();
    expect(await needs.locator(`[data-task="${fromReply}"] button`).getAttribute('aria-label')).toContain('Réserver la tonnelle');
    await b.page.goto('/tasks');
    await b.page.getByRole('link', { name: 'Réserver la tonnelle' }).waitFor();
    await b.page.screenshot({ path: path.join(shots, 'my-tasks.png'), fullPage: true });
    await b.page.getByRole('link', { name: 'Réserver la tonnelle' }).click();
    await b.page.waitForURL(`**/tasks/${fromReply}`);
    await b.page.screenshot({ path: path.join(shots, 'task.png'), fullPage: true });
    await b.context.close();
  });

  it('Bert takes another task with "I’ll take it" and moves it to done with the keyboard; Anne’s open board follows; Anne drags one with the mouse', async () => {
    gobelets = (await e.running.app.tasks.create(await actor('anne'), { groupSlug: 'marche', title: 'Commander les gobelets', priority: 'high' })).id;
    const a = await signedIn('anne');
    await a.page.goto('/groups/marche/tasks');
    await a.page.locator('[data-live="watching"]').waitFor({ state: 'attached' });

    const b = await signedIn('bert');
    await b.page.goto('/groups/marche/tasks');
    const card = () => b.page.locator(`li[data-task="${gobelets}"]`);
    await card().getByRole('button', { name: 'Je m’en occupe' }).click();
    await b.page.waitForURL('**/groups/marche/tasks');
    expect(await card().locator('.who').textContent()).toContain('Bert Janssens');
    // Keyboard: focus the card, Space to pick it up, Tab to the next columns, Space to drop.
    await card().focus();
    await b.page.keyboard.press('Space');
    await b.page.keyboard.press('Tab');
    await b.page.keyboard.press('Tab');
    await b.page.keyboard.press('Space');
    await expect.poll(() => columnOf(gobelets), { timeout: 15_000 }).toBe('done');
    await b.page.locator(`section[data-column="done"] li[data-task="${gobelets}"]`).waitFor();
    // Anne's board heard of it without reloading.
    await a.page.locator(`section[data-column="done"] li[data-task="${gobelets}"]`).waitFor({ timeout: 15_000 });

    // With the mouse: Anne drags a new card from "À faire" into "En cours". The library looks
    // where the dragged card is every few hundred milliseconds: the button is let go once the
    // card's (invisible) place holder is in "En cours".
    const affiches = (await e.running.app.tasks.create(await actor('anne'), { groupSlug: 'marche', title: 'Imprimer les affiches' })).id;
    const dragged = a.page.locator(`li[data-task="${affiches}"]`);
    await dragged.waitFor();
    const box = (await dragged.boundingBox())!;
    const grab = (await dragged.locator('.who').boundingBox())!;
    const zone = (await a.page.locator('section[data-column="doing"] ul.cards').boundingBox())!;
    const g = { x: grab.x + grab.width / 2, y: grab.y + grab.height / 2 };
    // Where the card's centre lands on the centre of the column, with the cursor where it held the card.
    const drop = { x: zone.x + zone.width / 2 + g.x - (box.x + box.width / 2), y: zone.y + zone.height / 2 + g.y - (box.y + box.height / 2) };
    await a.page.mouse.move(g.x, g.y);
    await a.page.mouse.down();
    await a.page.mouse.move(g.x + 10, g.y + 10, { steps: 3 });
    await a.page.mouse.move(drop.x, drop.y, { steps: 10 });
    await a.page.locator(`section[data-column="doing"] li[data-task="${affiches}"][data-is-dnd-shadow-item-internal]`).waitFor({ state: 'attached', timeout: 15_000 });
    await a.page.mouse.up();
    await expect.poll(() => columnOf(affiches), { timeout: 15_000 }).toBe('doing');
    await b.page.locator(`section[data-column="doing"] li[data-task="${affiches}"]`).waitFor({ timeout: 15_000 });
    await a.context.close();
    await b.context.close();
  });

  it('on a phone without JavaScript, the "Move to…" form moves the first task to done', async () => {
    const b = await signedIn('bert', { javaScriptEnabled: false, phone: true });
    await b.page.goto('/groups/marche/tasks');
    // The columns scroll inside the board: the page stays as wide as the phone (no zoomed-out page).
    expect(await b.page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])).toEqual([390, 390]);
    await b.page.screenshot({ path: path.join(shots, 'board.png'), fullPage: true });
    const card = b.page.locator(`li[data-task="${fromReply}"]`);
    await card.getByText('Déplacer vers…').click();
    await card.getByLabel('Colonne').selectOption({ label: 'Fait' });
    await card.getByRole('button', { name: 'Déplacer' }).click();
    await b.page.waitForURL('**/groups/marche/tasks');
    expect(await columnOf(fromReply)).toBe('done');
    await b.page.locator(`section[data-column="done"] li[data-task="${fromReply}"]`).waitFor();
    await b.page.goto('/groups/marche/tasks?view=list');
    await b.page.getByRole('link', { name: 'Moi' }).click();
    await b.page.waitForURL(/assignee=me/);
    expect(await b.page.locator('ol.rows > li').count()).toBe(2);
    await b.page.screenshot({ path: path.join(shots, 'list.png'), fullPage: true });
    // The JSON API refuses a move based on an older version, with the task's current state.
    const cookie = (await b.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const todo = (await e.running.app.db.selectFrom('taskColumns').select('id').where('groupId', '=', group.id).where('preset', '=', 'todo').executeTakeFirstOrThrow()).id;
    const res = await fetch(`${e.url}/api/v1/tasks/${fromReply}/move`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'accept-language': 'fr' }, body: JSON.stringify({ columnId: todo, position: 0, version: 1 }) });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.error.code).toBe('task_changed');
    expect(body.current).toMatchObject({ id: fromReply, done: true, column: { preset: 'done' } });
    expect(body.current.version).toBeGreaterThan(1);
    await b.context.close();
  });

  it('a reminder mail’s "done" link asks first, works once, and only for its member', async () => {
    const app = e.running.app;
    const { id } = await app.tasks.create(await actor('anne'), { groupSlug: 'marche', title: 'Rendre la clé du local', dueDate: '2026-01-01', dueTime: '09:00', assigneeIds: [users.bert.id] });
    // Assigned long before its due time, now overdue: the scheduler reminds Bert once.
    await app.db.updateTable('taskAssignees').set({ createdAt: '2025-12-01T00:00:00.000Z' }).where('taskId', '=', id).execute();
    await app.db.updateTable('tasks').set({ dueAt: new Date(Date.now() - 3600_000).toISOString(), overdueAt: new Date(Date.now() - 3600_000).toISOString() }).where('id', '=', id).execute();
    expect(await app.tasks.scheduler.reminders()).toBe(1);
    await app.jobs.runDue();
    const mail = e.mailbox.sent.find((m) => m.to === 'bert@example.org' && m.text.includes('Rendre la clé du local') && m.text.includes('/mail/done?t='))!;
    const link = /https?:\/\/\S+\/tasks\/[0-9a-f-]{36}\/mail\/done\?t=\S+/.exec(mail.text)![0];
    const url = new URL(link);

    // Anne opens Bert's link: refused.
    const a = await signedIn('anne');
    await a.page.goto(url.pathname + url.search);
    await a.page.getByText('Ce lien a été envoyé à quelqu’un d’autre').waitFor();
    expect(await a.page.getByRole('button', { name: 'Oui, c’est fait' }).count()).toBe(0);
    await a.context.close();

    // Bert, from his mail client (no session): the page asks; the button does it, once.
    const { context, page } = await e.newPage({ javaScriptEnabled: false });
    await page.goto(url.pathname + url.search);
    expect(await columnOf(id)).not.toBe('done');
    await page.getByRole('button', { name: 'Oui, c’est fait' }).click();
    await page.getByText('C’est fait. Merci !').waitFor();
    expect(await columnOf(id)).toBe('done');
    await page.goto(url.pathname + url.search);
    await page.getByText('Ce lien a déjà servi').waitFor();
    await context.close();
  });
});
