/**
 * From the invitation mail to the first reply, counted in pages: open the link (the
 * sign-up form is there), sign up (landing in the group, a member already, with a reply
 * field), reply. An invitation to the association lands on home with groups to join.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { loadDemo } from '../../src/cli/demo';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  await loadDemo(e.running.app, () => {});
});
afterAll(async () => {
  await e?.close();
});

const camille = async () => {
  const app = e.running.app;
  const u = await app.db.selectFrom('users').select('id').where('email', '=', 'camille@demo.ruche.local').executeTakeFirstOrThrow();
  return app.sessions.actorFor(u.id as never);
};
/** The invitation link of the mail sent to `to` (mail leaves through the job runner). */
async function linkFor(to: string) {
  for (let i = 0; i < 100 && !e.mailbox.sent.some((m) => m.to === to); i++) await new Promise((r) => setTimeout(r, 100));
  const mail = e.mailbox.sent.find((m) => m.to === to)!;
  return mail.text.match(/https?:\/\/\S+\/invite\/\S+/)![0];
}
/** Counts the pages the browser loads from now on. */
function countPages(page: Page) {
  const seen: string[] = [];
  page.on('load', () => seen.push(new URL(page.url()).pathname));
  return seen;
}

describe('from an invitation to the first reply', () => {
  it('takes three pages for an invitation to a group: the link, the landing in the group, the reply', async () => {
    await e.running.app.groups.invitations.inviteByEmail(await camille(), 'marches', { emails: 'noa@example.org' });
    const link = await linkFor('noa@example.org');
    const noa = await e.newPage();
    await noa.page.setViewportSize({ width: 390, height: 844 });
    const pages = countPages(noa.page);

    await noa.page.goto(link); // 1. the mail's link: the sign-up form is on the page
    await noa.page.getByLabel('Votre nom').fill('Noa Peeters');
    await noa.page.getByLabel(/^Mot de passe/).fill('un mot de passe de Noa');
    await noa.page.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click();
    await noa.page.getByRole('heading', { name: 'Bienvenue dans Marchés ! Vous en êtes membre.' }).waitFor(); // 2. in the group, a member
    expect(new URL(noa.page.url()).pathname).toBe('/groups/marches');
    await noa.page.getByLabel(/^Votre réponse à/).fill('Bonjour, je peux aider au stand de Saint-Gilles.');
    await noa.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await noa.page.locator('.comment', { hasText: 'je peux aider au stand' }).waitFor(); // 3. the reply, posted

    expect(pages).toHaveLength(3);
    expect(pages[2]).toMatch(/^\/d\//);
    const posted = await e.running.app.db
      .selectFrom('comments')
      .innerJoin('users', 'users.id', 'comments.authorId')
      .select(['comments.body'])
      .where('users.email', '=', 'noa@example.org')
      .execute();
    expect(posted).toEqual([{ body: 'Bonjour, je peux aider au stand de Saint-Gilles.' }]);
    // Search finds the reply, named "Réponse dans <discussion>" with its space.
    await noa.page.goto('/search?q=aider');
    const hit = noa.page.locator('.results a.title', { hasText: 'Planning des stands' });
    expect((await hit.textContent())?.trim()).toBe('Réponse dans Planning des stands — marché de Saint-Gilles');
    await noa.context.close();
  });

  it('an invitation to the association lands on home, with groups to join in one tap (without JavaScript too)', async () => {
    await e.running.app.groups.invitations.inviteByEmail(await camille(), null, { emails: 'sam@example.org' });
    const link = await linkFor('sam@example.org');
    const sam = await e.newPage({ javaScriptEnabled: false });
    await sam.page.setViewportSize({ width: 390, height: 844 });
    const pages = countPages(sam.page);
    await sam.page.goto(link);
    await sam.page.getByLabel('Votre nom').fill('Sam Wouters');
    await sam.page.getByLabel(/^Mot de passe/).fill('un mot de passe de Sam');
    await sam.page.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click();
    await sam.page.getByRole('heading', { name: 'Des groupes à rejoindre' }).waitFor();
    expect(new URL(sam.page.url()).pathname).toBe('/');
    // Open groups join in one tap; closed ones are asked for; secret ones are not shown.
    await sam.page.getByRole('button', { name: 'Rejoindre Marchés' }).waitFor();
    await sam.page.getByRole('link', { name: 'Demander à rejoindre Coordination' }).waitFor();
    expect(await sam.page.getByText('Finances').count()).toBe(0);
    await sam.page.getByRole('button', { name: 'Rejoindre Marchés' }).click();
    await sam.page.getByLabel(/^Votre réponse à/).waitFor();
    expect(new URL(sam.page.url()).pathname).toBe('/groups/marches');
    expect(pages).toHaveLength(3);
    await sam.context.close();
  });
});
