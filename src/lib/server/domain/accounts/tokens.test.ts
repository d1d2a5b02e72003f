import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeInstance, makeUser, visitorActor } from '../../../../../tests/support/accounts-factories';
import { isDomainError } from '../../kernel/errors';
import { can } from '../../policy';
import { bearerToken, scopeAllowsMethod } from './sessions';

const PW = 'correct horse battery';
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return `${e.kind}:${e.issues[0]?.code ?? e.code}`;
    throw e;
  }
  return 'ok';
}

describe('bearer tokens over HTTP', () => {
  it('reads the Bearer scheme only', () => {
    expect(bearerToken('Bearer ruche_abc')).toBe('ruche_abc');
    expect(bearerToken('bearer   ruche_abc ')).toBe('ruche_abc');
    expect(bearerToken('Bearer')).toBe('');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken('Bearerruche_abc')).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
  it('lets read tokens use safe methods only', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => scopeAllowsMethod('read', m))).toEqual([true, true, false, false, false, false]);
    expect(['GET', 'POST', 'DELETE'].every((m) => scopeAllowsMethod('write', m) && scopeAllowsMethod('admin', m))).toBe(true);
  });
});

describe.each(engines)('%s: personal access tokens', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  it('are shown once, stored hashed, listed with scope, dates and expiry, and revocable by their owner only', async () => {
    const sam = await makeUser(app);
    const eve = await makeUser(app);
    const tok = await app.accounts.createToken(sam.actor, { name: 'calendar script', scope: 'write', expiresInDays: 30 });
    expect(tok.token).toMatch(/^ruche_[A-Za-z0-9_-]{40,}$/);
    expect(tok).toMatchObject({ scope: 'write', expired: false, expiresAt: new Date(app.clock.now().getTime() + 30 * 86_400_000).toISOString() });
    expect(await app.sessions.resolveAccessToken(tok.token)).toEqual({ userId: sam.id, tokenId: tok.id, scope: 'write' });
    const [listed] = await app.accounts.listTokens(sam.actor);
    expect(listed).toEqual({ id: tok.id, name: 'calendar script', scope: 'write', createdAt: tok.createdAt, lastUsedAt: app.clock.now().toISOString(), expiresAt: tok.expiresAt, expired: false });
    expect(JSON.stringify(await app.accounts.listTokens(sam.actor))).not.toContain(tok.token.slice(6));
    expect(await app.accounts.listTokens(eve.actor)).toHaveLength(0);
    expect(await codeOf(app.accounts.revokeToken(eve.actor, { id: tok.id }))).toBe('not_found:not_found');
    await app.accounts.revokeToken(sam.actor, { id: tok.id });
    expect(await app.sessions.resolveAccessToken(tok.token)).toBeNull();
    expect(await app.accounts.listTokens(sam.actor)).toHaveLength(0);
  });

  it('default to read for 90 days, and validate scope and lifetime', async () => {
    const sam = await makeUser(app);
    const tok = await app.accounts.createToken(sam.actor, { name: 'feed reader' });
    expect(tok.scope).toBe('read');
    expect(Date.parse(tok.expiresAt!) - app.clock.now().getTime()).toBe(90 * 86_400_000);
    expect((await app.accounts.createToken(sam.actor, { name: 'forever', expiresInDays: 'never' })).expiresAt).toBeNull();
    expect((await app.accounts.createToken(sam.actor, { name: 'a year', expiresInDays: '365' })).expiresAt).toBe(new Date(app.clock.now().getTime() + 365 * 86_400_000).toISOString());
    expect(await codeOf(app.accounts.createToken(sam.actor, { name: '' }))).toBe('invalid:required');
    expect(await codeOf(app.accounts.createToken(sam.actor, { name: 'x', scope: 'root' }))).toBe('invalid:bad_value');
    expect(await codeOf(app.accounts.createToken(sam.actor, { name: 'x', expiresInDays: 31 }))).toBe('invalid:bad_value');
    expect(await codeOf(app.accounts.createToken(visitorActor, { name: 'x' }))).toBe('unauthenticated:login_required');
  });

  it('stop working when they expire, and say so in the list', async () => {
    const sam = await makeUser(app);
    const tok = await app.accounts.createToken(sam.actor, { name: 'short', expiresInDays: 30 });
    app.clock.advance(30 * 86_400_000 - 1);
    expect(await app.sessions.resolveAccessToken(tok.token)).not.toBeNull();
    app.clock.advance(1);
    expect(await app.sessions.resolveAccessToken(tok.token)).toBeNull();
    expect(await app.accounts.listTokens(sam.actor)).toMatchObject([{ id: tok.id, expired: true }]);
  });

  it('give admin rights only through an admin token, which only instance admins create', async () => {
    const root = await makeUser(app, { isAdmin: true });
    const sam = await makeUser(app);
    expect(await codeOf(app.accounts.createToken(sam.actor, { name: 'x', scope: 'admin' }))).toBe('invalid:token_scope_admin');
    const write = await app.accounts.createToken(root.actor, { name: 'bot', scope: 'write' });
    const admin = await app.accounts.createToken(root.actor, { name: 'ops', scope: 'admin' });
    const actorOf = async (secret: string) => {
      const t = (await app.sessions.resolveAccessToken(secret))!;
      return (await app.sessions.identify(t.userId, { scope: t.scope }));
    };
    const viaWrite = await actorOf(write.token);
    expect(viaWrite.user?.isAdmin).toBe(false);
    expect(can(viaWrite.actor, 'user.manage')).toBe(false);
    expect(await codeOf(app.accounts.listUsers(viaWrite.actor))).toBe('not_found:not_found');
    expect(await codeOf(app.instance.getSettings(viaWrite.actor))).toBe('not_found:not_found');
    const viaAdmin = await actorOf(admin.token);
    expect(viaAdmin.user?.isAdmin).toBe(true);
    expect((await app.accounts.listUsers(viaAdmin.actor)).items.length).toBe(2);
    // Once the user is no longer an admin, their admin token administers nothing.
    await app.db.updateTable('users').set({ isAdmin: 0 }).where('id', '=', root.id).execute();
    expect(await codeOf(app.accounts.listUsers((await actorOf(admin.token)).actor))).toBe('not_found:not_found');
  });

  it('never create other tokens', async () => {
    const root = await makeUser(app, { isAdmin: true });
    const admin = await app.accounts.createToken(root.actor, { name: 'ops', scope: 'admin' });
    const t = (await app.sessions.resolveAccessToken(admin.token))!;
    const { actor } = await app.sessions.identify(t.userId, { scope: t.scope });
    expect(await codeOf(app.accounts.createToken(actor, { name: 'child', scope: 'read' }))).toBe('forbidden:token_cannot_create_token');
    expect(await app.accounts.listTokens(root.actor)).toHaveLength(1);
    // Revoking (its own or another of the member's tokens) stays possible.
    await app.accounts.revokeToken(actor, { id: admin.id });
    expect(await app.sessions.resolveAccessToken(admin.token)).toBeNull();
  });

  it('end with a password change and with “log out everywhere”, like sessions', async () => {
    const u = await makeUser(app, { email: 'sam@example.org', password: PW });
    const here = await app.accounts.login({ email: 'sam@example.org', password: PW });
    const phone = await app.accounts.login({ email: 'sam@example.org', password: PW });
    const t1 = await app.accounts.createToken(u.actor, { name: 'one', scope: 'write' });
    await app.accounts.changePassword(u.actor, { currentPassword: PW, password: 'new long password' }, here.token);
    expect(await app.sessions.resolveAccessToken(t1.token)).toBeNull();
    expect(await app.sessions.userIdFor(phone.token)).toBeNull();
    expect(await app.sessions.userIdFor(here.token)).toBe(u.id);

    const t2 = await app.accounts.createToken(u.actor, { name: 'two', scope: 'read', expiresInDays: null });
    const other = await app.accounts.login({ email: 'sam@example.org', password: 'new long password' });
    await app.accounts.logOutEverywhere(u.actor);
    expect(await app.sessions.resolveAccessToken(t2.token)).toBeNull();
    expect(await app.sessions.userIdFor(here.token)).toBeNull();
    expect(await app.sessions.userIdFor(other.token)).toBeNull();
    expect(await app.accounts.listTokens(u.actor)).toEqual([]);
    expect(await app.accounts.listSessions(u.actor)).toEqual([]);
    expect(await codeOf(app.accounts.logOutEverywhere(visitorActor))).toBe('unauthenticated:login_required');
    // The password still works: logging out is not locking out.
    expect(await codeOf(app.accounts.login({ email: 'sam@example.org', password: 'new long password' }))).toBe('ok');
  });
});
