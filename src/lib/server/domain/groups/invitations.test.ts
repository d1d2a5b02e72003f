import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeGroup, makeInstance, makeUser, type TestUser } from '../../../../../tests/support/groups-factories';
import { isUser, visitor, type Actor } from '../../policy';
import { parseEmailList } from './invitations';

const rolesOf = (a: Actor) => (isUser(a) ? a.roles : new Map<string, string>());
const tokenOf = (text: string) => text.match(/\/invite\/([A-Za-z0-9_-]+)/)![1];

describe('parseEmailList', () => {
  it('splits on commas and new lines, lower-cases and de-duplicates', () => {
    expect(parseEmailList('A@x.org, b@y.be\nc@z.eu;a@X.org')).toEqual(['a@x.org', 'b@y.be', 'c@z.eu']);
  });
  it('names the invalid addresses', () => {
    expect(() => parseEmailList('ok@x.org, nope, also@bad')).toThrowError(expect.objectContaining({ issues: [{ path: 'emails', code: 'email_list', params: { list: 'nope, also@bad' } }] }));
    expect(() => parseEmailList(' ,\n')).toThrowError(expect.objectContaining({ issues: [expect.objectContaining({ code: 'required' })] }));
  });
});

describe.each(engines)('invitations on %s', (engine) => {
  let app: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    app = await createTestApp(engine);
    await makeInstance(app, 'Zinne');
    admin = await makeUser(app, { admin: true, name: 'Ada Admin', locale: 'nl' });
  });
  afterAll(async () => app?.cleanup());

  const mailTo = async (to: string) => {
    const job = await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').orderBy('createdAt', 'desc').execute();
    const m = job.map((j) => JSON.parse(j.payload)).find((p) => p.to === to);
    expect(m, `a mail to ${to}`).toBeTruthy();
    return m as { to: string; subject: string; text: string; html: string; messageId: string };
  };

  it('invites by email in the invitee’s language (or the association’s), single use, and a newcomer signs up', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { name: 'Werkgroep', visibility: 'secret' });
    const known = await makeUser(app, { email: 'known@example.org', locale: 'en' });
    await expect(app.groups.invitations.inviteByEmail(a, g.slug, { emails: 'new@example.org, bad' })).rejects.toMatchObject({ issues: [{ path: 'emails', code: 'email_list' }] });
    expect(await app.db.selectFrom('invitations').select('id').execute()).toHaveLength(0);

    const res = await app.groups.invitations.inviteByEmail(a, g.slug, { emails: 'New@example.org\nknown@example.org' });
    expect(res.invited).toEqual(['new@example.org', 'known@example.org']);
    const toNew = await mailTo('new@example.org');
    // No account yet: the association's default language (French here), not the inviter's Dutch.
    expect(toNew.subject).toBe('Ada Admin vous invite dans Werkgroep');
    expect(toNew.messageId).toMatch(/^<[0-9a-f-]+@localhost>$/);
    expect(toNew.html).toContain('/invite/');
    const toKnown = await mailTo('known@example.org');
    expect(toKnown.subject).toBe('Ada Admin invites you to Werkgroep');

    // The token is stored hashed only.
    const token = tokenOf(toNew.text);
    const row = await app.db.selectFrom('invitations').selectAll().where('email', '=', 'new@example.org').executeTakeFirstOrThrow();
    expect(row.tokenHash).not.toBe(token);
    expect(row.maxUses).toBe(1);

    const preview = await app.groups.invitations.preview(visitor, { token });
    expect(preview).toMatchObject({ state: 'valid', association: 'Zinne', group: { name: 'Werkgroep', slug: g.slug }, inviterName: 'Ada Admin', email: 'new@example.org' });

    // The email is locked to the invited address.
    await expect(app.groups.invitations.signUp({ token, name: 'Nina', email: 'other@example.org', password: 'a long password' })).rejects.toMatchObject({ issues: [{ path: 'email', code: 'invitation_email' }] });
    const { userId, groupSlug, session } = await app.groups.invitations.signUp({ token, name: 'Nina', email: 'new@example.org', password: 'a long password', locale: 'nl' });
    expect(groupSlug).toBe(g.slug);
    expect(await app.sessions.userIdFor(session.token)).toBe(userId);
    expect(rolesOf(await app.sessions.actorFor(userId)).get(g.id)).toBe('member');
    expect(Number((await app.groups.bySlug(a, g.slug)).memberCount)).toBe(2);

    // Used up: a second sign-up or join writes nothing.
    await expect(app.groups.invitations.signUp({ token, name: 'Nina 2', email: 'new@example.org', password: 'a long password' })).rejects.toMatchObject({ code: 'invitation_used_up' });
    await expect(app.groups.invitations.accept(await known.actor(), { token })).rejects.toMatchObject({ code: 'invitation_used_up' });
    expect((await app.groups.invitations.preview(visitor, { token })).state).toBe('used_up');

    // An existing account accepts its own email invitation while signed in.
    const knownToken = tokenOf(toKnown.text);
    expect(await app.groups.invitations.accept(await known.actor(), { token: knownToken })).toEqual({ groupSlug: g.slug });
    expect(rolesOf(await known.actor()).get(g.id)).toBe('member');
    // Already a member: a fresh invitation is skipped.
    const again = await app.groups.invitations.inviteByEmail(a, g.slug, { emails: 'known@example.org' });
    expect(again).toEqual({ invited: [], skipped: ['known@example.org'] });
  });

  it('an email invitation accepted by someone signed in with another address still works once', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { visibility: 'closed' });
    await app.groups.invitations.inviteByEmail(a, g.slug, { emails: 'someone@example.org' });
    const token = tokenOf((await mailTo('someone@example.org')).text);
    const other = await makeUser(app);
    await app.groups.invitations.accept(await other.actor(), { token });
    expect(rolesOf(await other.actor()).get(g.id)).toBe('member');
    const third = await makeUser(app);
    await expect(app.groups.invitations.accept(await third.actor(), { token })).rejects.toMatchObject({ code: 'invitation_used_up' });
    expect(rolesOf(await third.actor()).has(g.id)).toBe(false);
  });

  it('shareable links honour max uses, expiry and revocation; wrong tokens are not found', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { visibility: 'closed' });
    await expect(app.groups.invitations.createLink(a, g.slug, { days: 31 })).rejects.toMatchObject({ issues: [{ path: 'days', code: 'days' }] });
    await expect(app.groups.invitations.createLink(a, g.slug, { days: 0 })).rejects.toMatchObject({ issues: [{ path: 'days', code: 'days' }] });
    const link = await app.groups.invitations.createLink(a, g.slug, { days: '2', maxUses: '2' });
    expect(link.url).toMatch(/^http:\/\/localhost:3000\/invite\//);
    const [u1, u2, u3] = [await makeUser(app), await makeUser(app), await makeUser(app)];
    await app.groups.invitations.accept(await u1.actor(), { token: link.token });
    // Accepting again as a member uses nothing.
    await app.groups.invitations.accept(await u1.actor(), { token: link.token });
    await app.groups.invitations.accept(await u2.actor(), { token: link.token });
    await expect(app.groups.invitations.accept(await u3.actor(), { token: link.token })).rejects.toMatchObject({ code: 'invitation_used_up' });
    expect(Number((await app.groups.bySlug(a, g.slug)).memberCount)).toBe(3);

    const expiring = await app.groups.invitations.createLink(a, g.slug, { days: 1 });
    app.clock.advance(86_400_000 + 1000);
    expect((await app.groups.invitations.preview(visitor, { token: expiring.token })).state).toBe('expired');
    await expect(app.groups.invitations.accept(await u3.actor(), { token: expiring.token })).rejects.toMatchObject({ code: 'invitation_expired' });
    const usersBefore = (await app.db.selectFrom('users').select('id').execute()).length;
    await expect(app.groups.invitations.signUp({ token: expiring.token, name: 'Late', email: 'late@example.org', password: 'a long password' })).rejects.toMatchObject({ code: 'invitation_expired' });
    expect((await app.db.selectFrom('users').select('id').execute()).length).toBe(usersBefore);

    const revoked = await app.groups.invitations.createLink(a, g.slug, {});
    await expect(app.groups.invitations.revoke(await u1.actor(), g.slug, { invitationId: revoked.id })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.groups.invitations.revoke(a, g.slug, { invitationId: revoked.id });
    await expect(app.groups.invitations.accept(await u3.actor(), { token: revoked.token })).rejects.toMatchObject({ code: 'invitation_revoked' });
    expect((await app.groups.invitations.preview(visitor, { token: revoked.token })).state).toBe('revoked');

    await expect(app.groups.invitations.preview(visitor, { token: 'x'.repeat(43) })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.groups.invitations.accept(await u3.actor(), { token: 'short' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(app.groups.invitations.accept(visitor, { token: link.token })).rejects.toMatchObject({ kind: 'unauthenticated' });

    const list = await app.groups.invitations.list(a, g.slug);
    expect(list.invitations.map((i) => i.state)).toEqual(['revoked', 'expired', 'used_up']);
  });

  it('writes the invitation in one language with a line in each of the other two, so anyone can read it', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { name: 'Marchés', visibility: 'open' });
    await makeUser(app, { email: 'clara@example.org', locale: 'en' });
    await app.groups.invitations.inviteByEmail(a, g.slug, { emails: 'clara@example.org, noa@example.org' });
    const clara = await mailTo('clara@example.org');
    const noa = await mailTo('noa@example.org');
    const link = (m: { text: string }) => m.text.match(/https?:\/\/\S+\/invite\/\S+/)![0];
    // Clara's account says English; Noa has none: the association's French.
    expect(clara.subject).toBe('Ada Admin invites you to Marchés');
    expect(clara.text).toContain('Ada Admin invites you to join the group “Marchés” of Zinne.');
    expect(clara.text).toContain(`Cette invitation en français\u00a0: Ada Admin vous invite à rejoindre le groupe «\u00a0Marchés\u00a0» de Zinne. Pour l’accepter\u00a0: ${link(clara)}`);
    expect(clara.text).toContain(`Deze uitnodiging in het Nederlands: Ada Admin nodigt je uit om lid te worden van de groep “Marchés” van Zinne. Aanvaarden kan hier: ${link(clara)}`);
    expect(clara.text).not.toContain('This invitation in English');
    expect(clara.html).toContain('<p lang="nl"');
    expect(noa.subject).toBe('Ada Admin vous invite dans Marchés');
    expect(noa.text).toContain('This invitation in English: Ada Admin invites you to join the group “Marchés” of Zinne.');
    expect(noa.text).not.toContain('Cette invitation en français');
    // The association's default language decides for people without an account.
    await app.db.updateTable('instance').set({ defaultLocale: 'nl' }).where('id', '=', 1).execute();
    await app.groups.invitations.inviteByEmail(a, g.slug, { emails: 'jo@example.org' });
    expect((await mailTo('jo@example.org')).subject).toBe('Ada Admin nodigt je uit voor Marchés');
    await app.db.updateTable('instance').set({ defaultLocale: 'fr' }).where('id', '=', 1).execute();
  });

  it('instance invitations (no group) are for instance admins and create an account only', async () => {
    const a = await admin.actor();
    const member = await makeUser(app);
    await expect(app.groups.invitations.createLink(await member.actor(), null, {})).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(app.groups.invitations.inviteByEmail(visitor, null, { emails: 'x@example.org' })).rejects.toMatchObject({ kind: 'unauthenticated' });
    await app.groups.invitations.inviteByEmail(a, null, { emails: 'assoc@example.org' });
    const mail = await mailTo('assoc@example.org');
    expect(mail.text).toContain('Zinne');
    const token = tokenOf(mail.text);
    expect((await app.groups.invitations.preview(visitor, { token })).group).toBeNull();
    const { userId, groupSlug } = await app.groups.invitations.signUp({ token, name: 'Assoc', email: 'assoc@example.org', password: 'a long password' });
    expect(groupSlug).toBeNull();
    expect(rolesOf(await app.sessions.actorFor(userId)).size).toBe(0);
    const list = await app.groups.invitations.list(a, null);
    expect(list.invitations).toHaveLength(1);
    expect(list.invitations[0].state).toBe('used_up');
  });

  it('a group admin (not instance admin) invites to their own group only', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { visibility: 'open' });
    const other = await makeGroup(app, a, { visibility: 'secret' });
    const ga = await makeUser(app);
    await app.groups.invitations.accept(ga.id ? await ga.actor() : visitor, { token: (await app.groups.invitations.createLink(a, g.slug, {})).token });
    await app.groups.setRole(a, g.slug, { userId: ga.id, role: 'admin' });
    await expect(app.groups.invitations.createLink(await ga.actor(), g.slug, {})).resolves.toMatchObject({ url: expect.any(String) });
    await expect(app.groups.invitations.createLink(await ga.actor(), other.slug, {})).rejects.toMatchObject({ kind: 'not_found' });
  });
});
