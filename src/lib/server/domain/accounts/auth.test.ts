import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { linkFromMail, makeInstance, makeUser } from '../../../../../tests/support/accounts-factories';
import { isDomainError } from '../../kernel/errors';

const PW = 'correct horse battery';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return `${e.kind}:${e.code}`;
    throw e;
  }
  return 'ok';
}

describe.each(engines)('%s: logging in', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  it('logs in with the right password, rotating the session', async () => {
    const u = await makeUser(app, { email: 'anne@example.org', password: PW });
    const first = await app.accounts.login({ email: 'Anne@Example.org ', password: PW }, { ip: '10.0.0.1' });
    expect(await app.sessions.userIdFor(first.token)).toBe(u.id);
    const second = await app.accounts.login({ email: 'anne@example.org', password: PW }, { previousToken: first.token });
    expect(second.token).not.toBe(first.token);
    expect(await app.sessions.userIdFor(first.token)).toBeNull();
    expect(await app.sessions.userIdFor(second.token)).toBe(u.id);
    await app.accounts.logout({ token: second.token });
    expect(await app.sessions.userIdFor(second.token)).toBeNull();
  });

  it('gives one answer for a wrong password, an unknown email and a disabled account', async () => {
    await makeUser(app, { email: 'anne@example.org', password: PW });
    expect(await codeOf(app.accounts.login({ email: 'anne@example.org', password: 'wrong password' }))).toBe('invalid:bad_credentials');
    expect(await codeOf(app.accounts.login({ email: 'nobody@example.org', password: PW }))).toBe('invalid:bad_credentials');
    await app.db.updateTable('users').set({ disabledAt: app.clock.now().toISOString() }).where('email', '=', 'anne@example.org').execute();
    expect(await codeOf(app.accounts.login({ email: 'anne@example.org', password: PW }))).toBe('invalid:bad_credentials');
  });
});

describe.each(engines)('%s: one-time links', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  it('mails a magic link in the member’s language that logs in once', async () => {
    const u = await makeUser(app, { email: 'jan@example.org', locale: 'nl' });
    await app.accounts.requestMagicLink({ email: 'jan@example.org' });
    await app.jobs.runDue();
    expect(app.mailbox.sent).toHaveLength(1);
    const mail = app.mailbox.sent[0];
    expect(mail.to).toBe('jan@example.org');
    expect(mail.subject).toMatch(/aanmeld/i);
    expect(mail.messageId).toMatch(/^<[0-9a-f-]+@localhost>$/);
    const token = mail.text.match(/\/magic\/([A-Za-z0-9_-]+)/)![1];
    // The secret is stored hashed only.
    expect(await app.db.selectFrom('authTokens').select('id').where('tokenHash', '=', token).executeTakeFirst()).toBeUndefined();
    expect(await app.accounts.inspectLink('magic', { token })).toBe('valid');
    const s = await app.accounts.loginWithMagicLink({ token });
    expect(await app.sessions.userIdFor(s.token)).toBe(u.id);
    expect(await app.accounts.inspectLink('magic', { token })).toBe('used');
    expect(await codeOf(app.accounts.loginWithMagicLink({ token }))).toBe('invalid:link_used');
  });

  it('leads a login link back to a path on this site, never elsewhere', async () => {
    await makeUser(app, { email: 'jan@example.org' });
    await app.accounts.requestMagicLink({ email: 'jan@example.org', next: '/groups/velo?tab=chat' });
    await app.accounts.requestMagicLink({ email: 'jan@example.org', next: '//evil.example/x' });
    await app.accounts.requestMagicLink({ email: 'jan@example.org', next: 'https://evil.example/' });
    const texts = (await app.db.selectFrom('jobs').select('payload').orderBy('id').execute()).map((r) => (JSON.parse(r.payload) as { text: string }).text);
    expect(texts[0]).toContain(`/magic/`);
    expect(texts[0]).toMatch(/\/magic\/[A-Za-z0-9_-]+\?next=%2Fgroups%2Fvelo%3Ftab%3Dchat/);
    for (const t of texts.slice(1)) {
      expect(t).not.toContain('evil');
      expect(t).not.toContain('next=');
    }
  });

  it('answers the same for unknown emails and sends nothing', async () => {
    await expect(app.accounts.requestMagicLink({ email: 'ghost@example.org' })).resolves.toBeUndefined();
    await expect(app.accounts.requestPasswordReset({ email: 'ghost@example.org' })).resolves.toBeUndefined();
    expect(await app.db.selectFrom('jobs').select('id').execute()).toHaveLength(0);
    expect(await codeOf(app.accounts.requestMagicLink({ email: 'not an email' }))).toBe('invalid:invalid');
  });

  it('refuses expired and unknown magic links', async () => {
    await makeUser(app, { email: 'jan@example.org' });
    await app.accounts.requestMagicLink({ email: 'jan@example.org' });
    const token = await linkFromMail(app, 'jan@example.org', '/magic/');
    app.clock.advance(15 * 60_000 + 1);
    expect(await app.accounts.inspectLink('magic', { token })).toBe('expired');
    expect(await codeOf(app.accounts.loginWithMagicLink({ token }))).toBe('invalid:link_expired');
    expect(await app.accounts.inspectLink('magic', { token: 'x'.repeat(43) })).toBe('unknown');
    expect(await app.accounts.inspectLink('reset', { token })).toBe('unknown');
  });

  it('stops mailing one address after 5 links in 15 minutes from one source', async () => {
    await makeUser(app, { email: 'jan@example.org' });
    for (let i = 0; i < 7; i++) await app.accounts.requestMagicLink({ email: 'jan@example.org' });
    expect(await app.db.selectFrom('jobs').select('id').execute()).toHaveLength(5);
  });

  it('keeps sending the owner a link when someone asks for many of them from elsewhere', async () => {
    await makeUser(app, { email: 'jan@example.org', password: PW });
    const device = (await app.accounts.login({ email: 'jan@example.org', password: PW }, { ip: '192.0.2.1' })).device;
    const mails = async () => (await app.db.selectFrom('jobs').select('id').where('kind', '=', 'mail.send').execute()).length;
    // One source cannot use up the address: another source still gets a link.
    for (let i = 0; i < 7; i++) await app.accounts.requestMagicLink({ email: 'jan@example.org' }, { ip: '203.0.113.1' });
    expect(await mails()).toBe(5);
    await app.accounts.requestMagicLink({ email: 'jan@example.org' }, { ip: '192.0.2.2' });
    expect(await mails()).toBe(6);
    // Many sources together hit the looser cap per address…
    for (let i = 2; i < 12; i++) await app.accounts.requestMagicLink({ email: 'jan@example.org' }, { ip: `203.0.113.${i}` });
    expect(await mails()).toBe(10);
    await app.accounts.requestMagicLink({ email: 'jan@example.org' }, { ip: '192.0.2.3' });
    expect(await mails()).toBe(10);
    // …which the owner's known device does not meet.
    await app.accounts.requestMagicLink({ email: 'jan@example.org' }, { ip: '192.0.2.3', deviceCookie: device });
    expect(await mails()).toBe(11);
  });

  it('resets the password within an hour, ending every session and access token', async () => {
    const u = await makeUser(app, { email: 'sam@example.org', password: PW });
    const other = await app.accounts.login({ email: 'sam@example.org', password: PW });
    const tok = await app.accounts.createToken(u.actor, { name: 'script', scope: 'write', expiresInDays: null });
    expect(await app.sessions.resolveAccessToken(tok.token)).toMatchObject({ userId: u.id });
    await app.accounts.requestPasswordReset({ email: 'sam@example.org' });
    const token = await linkFromMail(app, 'sam@example.org', '/reset/');
    app.clock.advance(59 * 60_000);
    expect(await codeOf(app.accounts.resetPassword({ token, password: 'short' }))).toBe('invalid:invalid');
    const s = await app.accounts.resetPassword({ token, password: 'a brand new password' });
    expect(await app.sessions.userIdFor(other.token)).toBeNull();
    expect(await app.sessions.resolveAccessToken(tok.token)).toBeNull();
    expect(await app.accounts.listTokens(u.actor)).toEqual([]);
    expect(await app.sessions.userIdFor(s.token)).toBe(u.id);
    expect(await codeOf(app.accounts.login({ email: 'sam@example.org', password: PW }))).toBe('invalid:bad_credentials');
    expect(await codeOf(app.accounts.login({ email: 'sam@example.org', password: 'a brand new password' }))).toBe('ok');
    expect(await codeOf(app.accounts.resetPassword({ token, password: 'another new password' }))).toBe('invalid:link_used');
  });
});

describe.each(engines)('%s: requests made with an access token', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app, { openRegistration: true });
  });
  afterEach(async () => app.cleanup());

  it('never start a session: not by password, magic link, reset, registration or invitation', async () => {
    const u = await makeUser(app, { email: 'sam@example.org', password: PW });
    const viaToken = { viaToken: true, ip: '192.0.2.1' };
    expect(await codeOf(app.accounts.login({ email: 'sam@example.org', password: PW }, viaToken))).toBe('forbidden:token_no_session');
    await app.accounts.requestMagicLink({ email: 'sam@example.org' });
    const magic = await linkFromMail(app, 'sam@example.org', '/magic/');
    expect(await codeOf(app.accounts.loginWithMagicLink({ token: magic }, viaToken))).toBe('forbidden:token_no_session');
    await app.accounts.requestPasswordReset({ email: 'sam@example.org' });
    const reset = await linkFromMail(app, 'sam@example.org', '/reset/');
    expect(await codeOf(app.accounts.resetPassword({ token: reset, password: 'a brand new password' }, viaToken))).toBe('forbidden:token_no_session');
    expect(await codeOf(app.accounts.register({ email: 'new@example.org', name: 'New', password: PW }, viaToken))).toBe('forbidden:token_no_session');
    expect(await codeOf(app.db.transaction().execute((tx) => app.accounts.registerWithInvitation(tx, { email: 'inv@example.org', name: 'Inv', password: PW }, viaToken)))).toBe('forbidden:token_no_session');
    // Nothing was written: no session, the links are still unused, the password unchanged, no account.
    expect(await app.db.selectFrom('sessions').select('id').execute()).toEqual([]);
    expect(await app.accounts.inspectLink('magic', { token: magic })).toBe('valid');
    expect(await app.accounts.inspectLink('reset', { token: reset })).toBe('valid');
    expect(await app.db.selectFrom('users').select('id').where('email', 'in', ['new@example.org', 'inv@example.org']).execute()).toEqual([]);
    expect((await app.accounts.login({ email: 'sam@example.org', password: PW })).userId).toBe(u.id);
  });
});

describe.each(engines)('%s: registration', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
  });
  afterEach(async () => app.cleanup());

  it('is closed unless the association opens it', async () => {
    await makeInstance(app, { openRegistration: false });
    expect(await app.accounts.registrationOpen()).toBe(false);
    expect(await codeOf(app.accounts.register({ email: 'a@example.org', name: 'A', password: PW }))).toBe('not_found:registration_closed');
  });

  it('creates an account with the browser’s language and logs in', async () => {
    await makeInstance(app, { openRegistration: true });
    const s = await app.accounts.register({ email: 'lea@example.org', name: 'Léa Dubois', password: PW, locale: 'nl', timeZone: 'Europe/Brussels' });
    const { user: u } = await app.sessions.identify(await app.sessions.userIdFor(s.token));
    expect(u).toMatchObject({ email: 'lea@example.org', handle: 'lea_dubois', locale: 'nl', isAdmin: false });
    expect(await codeOf(app.accounts.register({ email: 'lea@example.org', name: 'Other', password: PW }))).toBe('invalid:email_taken');
    expect(await codeOf(app.accounts.register({ email: 'x@example.org', name: 'X', password: PW, timeZone: 'Mars/Olympus' }))).toBe('invalid:invalid');
  });

  it('registerWithInvitation writes the account and session in the caller’s transaction', async () => {
    await makeInstance(app);
    const s = await app.db.transaction().execute((tx) => app.accounts.registerWithInvitation(tx, { email: 'inv@example.org', name: 'Invited One', password: PW, locale: 'en', timeZone: 'Europe/Brussels' }, { userAgent: 'test' }));
    expect(s.handle).toBe('invited_one');
    expect(await app.sessions.userIdFor(s.token)).toBe(s.userId);
    // A rolled-back transaction leaves no account behind.
    await expect(
      app.db.transaction().execute(async (tx) => {
        await app.accounts.registerWithInvitation(tx, { email: 'gone@example.org', name: 'Gone', password: PW });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await app.db.selectFrom('users').select('id').where('email', '=', 'gone@example.org').executeTakeFirst()).toBeUndefined();
  });
});
