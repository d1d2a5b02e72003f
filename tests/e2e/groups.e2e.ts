import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { startE2E, type E2E } from './support';
import type { UserId } from '../../src/lib/server/kernel/ids';

let e: E2E;
let adminId: UserId;
let outsiderCookie: string;

async function cookieFor(userId: UserId) {
  const s = await e.running.app.sessions.start(userId, 'e2e');
  return s.token;
}
async function signIn(context: BrowserContext, userId: UserId) {
  await context.addCookies([{ name: 'ruche_session', value: await cookieFor(userId), url: e.url, httpOnly: true, sameSite: 'Lax' }]);
}
async function waitForMail(to: string) {
  for (let i = 0; i < 100; i++) {
    const m = e.mailbox.sent.find((x) => x.to === to);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  const admin = await app.instance.setup({ associationName: 'Zinne Bruxelles', name: 'Ada Admin', email: 'ada@example.org', password: 'un mot de passe assez long', locale: 'fr' });
  adminId = admin.id;
  const outsider = await app.db.transaction().execute(async (tx) => (await import('../../src/lib/server/domain/accounts/users')).insertUser(app.deps, tx, { name: 'Otto', email: 'otto@example.org', locale: 'fr' }));
  outsiderCookie = await cookieFor(outsider.id);
  const actor = await app.sessions.actorFor(adminId);
  await app.groups.create(actor, { name: 'Cercle TOPSECRETNAME', slug: 'cercle', visibility: 'secret', description: 'TOPSECRETDESC' });
});
afterAll(async () => {
  await e?.close();
});

describe('groups: what non-members see of a secret group', () => {
  it('answers 404 on the page and the API, without the name, for visitors and outsiders', async () => {
    for (const cookie of ['', `ruche_session=${outsiderCookie}`]) {
      for (const p of ['/groups/cercle', '/groups/cercle/members', '/groups/cercle/invite', '/api/v1/groups/cercle', '/api/v1/groups/cercle/members']) {
        const r = await fetch(e.url + p, { headers: cookie ? { cookie } : {} });
        const body = await r.text();
        expect(r.status, `${p} ${cookie ? 'outsider' : 'visitor'}`).toBe(404);
        expect(body).not.toContain('TOPSECRET');
      }
      const tree = await (await fetch(e.url + '/api/v1/groups', { headers: cookie ? { cookie } : {} })).text();
      expect(tree).not.toContain('TOPSECRET');
      const page = await (await fetch(e.url + '/groups', { headers: cookie ? { cookie } : {} })).text();
      expect(page).not.toContain('TOPSECRET');
    }
    // Posting to join answers 404 too.
    const r = await fetch(e.url + '/api/v1/groups/cercle/join', { method: 'POST', headers: { cookie: `ruche_session=${outsiderCookie}` } });
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('TOPSECRET');
    // The admin sees it.
    const ok = await fetch(e.url + '/api/v1/groups/cercle', { headers: { cookie: `ruche_session=${await cookieFor(adminId)}` } });
    expect(ok.status).toBe(200);
  });

  it('answers 404 for an unknown invitation and 410 for a revoked one', async () => {
    expect((await fetch(e.url + '/invite/' + 'x'.repeat(43))).status).toBe(404);
    const app = e.running.app;
    const actor = await app.sessions.actorFor(adminId);
    const link = await app.groups.invitations.createLink(actor, 'cercle', {});
    await app.groups.invitations.revoke(actor, 'cercle', { invitationId: link.id });
    const r = await fetch(link.url);
    expect(r.status).toBe(410);
    expect(await r.text()).toContain('retirée');
  });
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('groups journey %s', (_label, js) => {
  it('an admin creates a group and a working group, invites by email; the invitee signs up and lands as a member', async () => {
    const tag = js ? 'js' : 'nojs';
    const { context, page } = await e.newPage({ javaScriptEnabled: js });
    await signIn(context, adminId);

    await page.goto('/groups');
    await page.getByRole('link', { name: 'Nouveau groupe' }).click();
    await page.getByLabel('Nom', { exact: true }).fill(`Monnaie locale ${tag}`);
    await page.getByLabel(/^Description/).fill('Une **monnaie** pour Bruxelles');
    await page.locator('input[name=visibility][value=closed]').check();
    await page.getByRole('button', { name: 'Créer le groupe' }).click();
    await page.waitForURL(`**/groups/monnaie-locale-${tag}`);
    expect(await page.locator('h1').textContent()).toBe(`Monnaie locale ${tag}`);
    expect(await page.locator('.prose strong').textContent()).toBe('monnaie');

    await page.getByRole('link', { name: 'Nouveau groupe de travail' }).click();
    await page.getByLabel('Nom', { exact: true }).fill(`Comptoirs ${tag}`);
    await page.locator('input[name=visibility][value=secret]').check();
    await page.getByRole('button', { name: 'Créer le groupe' }).click();
    await page.waitForURL(`**/groups/comptoirs-${tag}`);
    await page.getByRole('navigation', { name: 'Chemin' }).getByRole('link', { name: `Monnaie locale ${tag}` }).waitFor();

    await page.getByRole('link', { name: 'Inviter' }).click();
    await page.waitForURL(`**/groups/comptoirs-${tag}/invite`);
    await page.getByLabel(/^Adresses e-mail/).fill(`bad, nina-${tag}@example.org`);
    await page.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await page.locator('.field-error', { hasText: 'Ces adresses ne sont pas valables : bad.' }).waitFor();
    await page.getByLabel(/^Adresses e-mail/).fill(`nina-${tag}@example.org`);
    await page.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await page.getByText('Une invitation envoyée.').waitFor();
    await page.getByRole('cell', { name: `nina-${tag}@example.org`, exact: true }).waitFor();
    await context.close();

    const mail = await waitForMail(`nina-${tag}@example.org`);
    expect(mail.subject).toBe(`Ada Admin vous invite dans Comptoirs ${tag}`);
    const link = mail.text.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/)![0];

    const guest = await e.newPage({ javaScriptEnabled: js });
    await guest.page.goto(link);
    expect(await guest.page.locator('h1').textContent()).toBe(`Rejoindre Comptoirs ${tag}`);
    await guest.page.getByText('Ada Admin vous invite').waitFor();
    expect(await guest.page.getByLabel(/^Votre e-mail/).inputValue()).toBe(`nina-${tag}@example.org`);
    await guest.page.getByLabel('Votre nom').fill('Nina Janssens');
    await guest.page.getByLabel(/^Mot de passe/).fill('court');
    await guest.page.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click();
    await guest.page.getByText('Au moins 10 caractères.').waitFor();
    await guest.page.getByLabel(/^Mot de passe/).fill('un mot de passe assez long');
    await guest.page.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click();
    await guest.page.waitForURL((u) => u.pathname === `/groups/comptoirs-${tag}` && u.searchParams.has('welcome'));
    await guest.page.getByText('Vous êtes membre de ce groupe.').waitFor();
    // Joining the working group did not join its parent.
    await guest.page.goto('/groups');
    const parentRow = guest.page.locator('li', { hasText: `Monnaie locale ${tag}` }).first();
    await parentRow.waitFor();
    expect(await guest.page.locator('li', { hasText: `Comptoirs ${tag}` }).last().locator('.tag.member').count()).toBe(1);

    // The link is single-use: opening it again says so.
    const again = await e.newPage({ javaScriptEnabled: js });
    const r = await again.page.goto(link);
    expect(r?.status()).toBe(410);
    await again.page.getByText('Cette invitation a déjà été utilisée.').waitFor();
    await guest.context.close();
    await again.context.close();
  });
});

describe('editing a group without JavaScript', () => {
  it('adds, reorders and removes links with plain forms, uploads a cover, and refuses a bad URL', async () => {
    const app = e.running.app;
    await app.groups.create(await app.sessions.actorFor(adminId), { name: 'Atelier', slug: 'atelier', visibility: 'open' });
    const { context, page } = await e.newPage({ javaScriptEnabled: false });
    await signIn(context, adminId);
    await page.goto('/groups/atelier/edit');
    const add = async (title: string, url: string) => {
      await page.getByLabel('Titre', { exact: true }).fill(title);
      await page.getByLabel('Adresse (https://…)').fill(url);
      await page.getByRole('button', { name: 'Ajouter le lien' }).click();
    };
    await add('Mauvais', 'javascript:alert(1)');
    await page.getByText('Entrez une adresse web complète').waitFor();
    await add('Wiki', 'https://wiki.example.org');
    await add('Agenda', 'https://agenda.example.org');
    await page.getByRole('button', { name: 'Monter « Agenda »' }).click();
    await add('Vieux', 'https://old.example.org');
    await page.getByRole('button', { name: 'Retirer « Vieux »' }).click();
    await page.getByRole('button', { name: 'Retirer « Wiki »' }).waitFor();
    expect(await page.getByRole('button', { name: 'Retirer « Vieux »' }).count()).toBe(0);
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#b45309' } }).png().toBuffer();
    await page.getByLabel(/^Image de couverture/).setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('button', { name: 'Envoyer la couverture' }).click();
    await page.getByText('La couverture a été mise à jour.').waitFor();
    await page.goto('/groups/atelier');
    const titles = await page.locator('ul.links a').allTextContents();
    expect(titles).toEqual(['Agenda', 'Wiki']);
    const src = await page.locator('img.cover').getAttribute('src');
    expect(src).toMatch(/^\/files\//);
    const img = await fetch(e.url + src);
    expect(img.status).toBe(200);
    await context.close();
  });
});
