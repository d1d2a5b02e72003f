/**
 * Every state of the invitation pages fits a 360 px phone: the page never scrolls sideways,
 * with long names and addresses too (the invitee's page, and the inviting admin's pages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import type { UserId } from '../../src/lib/server/kernel/ids';

let e: E2E;
const LONG_GROUP = 'Monnaiecitoyennebruxelloiseetsesprestatairesassociés';
const LONG_EMAIL = 'une-adresse-vraiment-tres-longue-pour-essayer@un-domaine-assez-long.example.org';
let adminId: UserId;
let memberId: UserId;
let slug: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  e = await startE2E();
  const app = e.running.app;
  const admin = await app.instance.setup({ associationName: 'Association-des-habitantes-et-habitants-du-quartier-Saint-Gilles', name: 'Marie-Françoise Vandenbroucke-Delacroix', email: 'admin@example.org', password: 'a long password' });
  adminId = admin.id as UserId;
  memberId = (await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: 'member@example.org', name: 'Membre', locale: 'fr' }))).id;
  const a = await app.sessions.actorFor(adminId);
  slug = (await app.groups.create(a, { name: LONG_GROUP, visibility: 'closed' })).slug;
  tokens.link = (await app.groups.invitations.createLink(a, slug, { days: 7 })).token;
  tokens.assoc = (await app.groups.invitations.createLink(a, null, { days: 7 })).token;
  for (const s of ['expired', 'revoked', 'used']) tokens[s] = (await app.groups.invitations.createLink(a, slug, { days: 7, maxUses: 1 })).token;
  await app.groups.invitations.inviteByEmail(a, slug, { emails: LONG_EMAIL, days: 7 });
  for (let i = 0; i < 50 && !e.mailbox.sent.some((m) => m.to === LONG_EMAIL); i++) await new Promise((r) => setTimeout(r, 100));
  tokens.email = e.mailbox.sent.find((m) => m.to === LONG_EMAIL)!.text.match(/\/invite\/(\S+)/)![1];
  const { hashSecret } = await import('../../src/lib/server/kernel/ids');
  await app.db.updateTable('invitations').set({ expiresAt: '2000-01-01T00:00:00.000Z' }).where('tokenHash', '=', hashSecret(tokens.expired)).execute();
  await app.groups.invitations.revoke(a, slug, { invitationId: (await app.db.selectFrom('invitations').select('id').where('tokenHash', '=', hashSecret(tokens.revoked)).executeTakeFirstOrThrow()).id });
  await app.groups.invitations.signUp({ token: tokens.used, name: 'Used', email: 'used@example.org', password: 'a long password' });
});
afterAll(async () => {
  await e?.close();
});

/** How much wider than the viewport the page is (0 when it fits). */
const overflow = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth);

describe('invitation pages at 360 px', () => {
  it('never scroll sideways, whatever their state', async () => {
    const wide: string[] = [];
    const check = async (page: Page, state: string) => {
      const px = await overflow(page);
      if (px > 0) wide.push(`${state}: ${px}px too wide`);
    };
    const visitor = await e.newPage();
    await visitor.page.setViewportSize({ width: 360, height: 740 });
    const p = visitor.page;
    await p.goto(`/invite/${tokens.link}`);
    await p.getByRole('button', { name: 'Créer mon compte et rejoindre' }).waitFor();
    await check(p, 'sign-up by link');
    await p.goto(`/invite/${tokens.assoc}`);
    await check(p, 'sign-up to the association');
    await p.goto(`/invite/${tokens.email}`);
    expect(await p.getByLabel(/Votre e-mail/).inputValue()).toBe(LONG_EMAIL);
    await check(p, 'sign-up by email');
    await p.getByLabel('Votre nom').fill('Noa');
    await p.getByLabel(/^Mot de passe/).fill('court');
    await p.getByLabel(/^Mot de passe/).evaluate((el) => el.removeAttribute('required'));
    await p.getByRole('button', { name: 'Créer mon compte et rejoindre' }).click();
    await p.getByText('Au moins 10 caractères.').waitFor();
    await check(p, 'sign-up with an error');
    for (const s of ['expired', 'revoked', 'used']) {
      const r = await p.goto(`/invite/${tokens[s]}`);
      expect(r?.status()).toBe(410);
      await check(p, `${s} invitation`);
    }
    expect((await p.goto('/invite/not-a-real-token'))?.status()).toBe(404);
    await check(p, 'unknown invitation');

    const member = await e.newPage();
    await member.page.setViewportSize({ width: 360, height: 740 });
    await e.signIn(member.context, memberId);
    await member.page.goto(`/invite/${tokens.link}`);
    await member.page.getByRole('button', { name: 'Rejoindre', exact: true }).waitFor();
    await check(member.page, 'signed in, not a member yet');
    await member.page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
    await member.page.waitForURL(/\/groups\//);
    await member.page.goto(`/invite/${tokens.link}`);
    await member.page.getByText('Vous êtes déjà membre.').waitFor();
    await check(member.page, 'signed in, already a member');

    const admin = await e.newPage();
    await admin.page.setViewportSize({ width: 360, height: 740 });
    await e.signIn(admin.context, adminId);
    await admin.page.goto(`/groups/${slug}/invite`);
    await admin.page.getByRole('cell', { name: LONG_EMAIL, exact: true }).waitFor();
    await check(admin.page, 'group invitations with their list');
    await admin.page.getByRole('button', { name: 'Créer un lien' }).click();
    await admin.page.getByText('Voici le lien.').waitFor();
    await check(admin.page, 'a new link shown');
    await admin.page.getByLabel(/^Adresses e-mail/).fill('pas-une-adresse');
    await admin.page.getByRole('button', { name: 'Envoyer les invitations' }).click();
    await admin.page.getByText(/ne sont pas valables/).first().waitFor();
    await check(admin.page, 'inviting with an error');
    await admin.page.goto('/groups/invite');
    await check(admin.page, 'association invitations');

    expect(wide).toEqual([]);
    for (const x of [visitor, member, admin]) await x.context.close();
  });
});
