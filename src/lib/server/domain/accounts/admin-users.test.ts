import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeInstance, makeUser, visitorActor } from '../../../../../tests/support/accounts-factories';
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

describe.each(engines)('%s: account administration', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  it('is hidden (not found) from members and visitors', async () => {
    const member = await makeUser(app);
    for (const a of [member.actor, visitorActor]) {
      expect(await codeOf(app.accounts.listUsers(a))).toBe('not_found:not_found');
      expect(await codeOf(app.accounts.setAdmin(a, { userId: member.id, isAdmin: true }))).toBe('not_found:not_found');
      expect(await codeOf(app.instance.getSettings(a))).toBe('not_found:not_found');
      expect(await codeOf(app.instance.updateSettings(a, { name: 'Hacked', defaultLocale: 'fr' }))).toBe('not_found:not_found');
      expect(await codeOf(app.instance.listOutbox(a))).toBe('not_found:not_found');
    }
  });

  it('lists accounts by keyset pages and searches them', async () => {
    const admin = await makeUser(app, { isAdmin: true, name: 'Root' });
    for (let i = 0; i < 55; i++) await makeUser(app, { name: `Person ${i}` });
    await makeUser(app, { name: 'Zoë Unique', email: 'zoe@example.org' });
    const p1 = await app.accounts.listUsers(admin.actor, {});
    expect(p1.items).toHaveLength(50);
    expect(p1.next).toBeTruthy();
    const p2 = await app.accounts.listUsers(admin.actor, { after: p1.next });
    expect(p2.items).toHaveLength(7);
    expect(p2.next).toBeNull();
    expect(new Set([...p1.items, ...p2.items].map((u) => u.id)).size).toBe(57);
    expect((await app.accounts.listUsers(admin.actor, { q: 'zoe@' })).items.map((u) => u.name)).toEqual(['Zoë Unique']);
  });

  it('grants admin rights and never removes or disables the last active admin', async () => {
    const root = await makeUser(app, { isAdmin: true });
    const bob = await makeUser(app, { email: 'bob@example.org', password: PW });
    expect(await codeOf(app.accounts.setAdmin(root.actor, { userId: root.id, isAdmin: false }))).toBe('conflict:last_admin');
    expect(await codeOf(app.accounts.setDisabled(root.actor, { userId: root.id, disabled: '1' }))).toBe('conflict:last_admin');
    await app.accounts.setAdmin(root.actor, { userId: bob.id, isAdmin: '1' });
    expect((await app.sessions.actorFor(bob.id)).kind === 'user' && (await app.sessions.actorFor(bob.id) as { isAdmin: boolean }).isAdmin).toBe(true);
    // With a second admin, the first may step down.
    await app.accounts.setAdmin(root.actor, { userId: root.id, isAdmin: false });
    const bobActor = await app.sessions.actorFor(bob.id);
    expect(await codeOf(app.accounts.setDisabled(bobActor, { userId: bob.id, disabled: true }))).toBe('conflict:last_admin');
  });

  it('disabling ends sessions and tokens at once; re-enabling lets the member log in again', async () => {
    const root = await makeUser(app, { isAdmin: true });
    const bob = await makeUser(app, { email: 'bob@example.org', password: PW });
    const s = await app.accounts.login({ email: 'bob@example.org', password: PW });
    const tok = await app.accounts.createToken(bob.actor, { name: 'script' });
    await app.accounts.setDisabled(root.actor, { userId: bob.id, disabled: true });
    expect(await app.sessions.userIdFor(s.token)).toBeNull();
    expect(await app.sessions.resolveAccessToken(tok.token)).toBeNull();
    expect(await codeOf(app.accounts.login({ email: 'bob@example.org', password: PW }))).toBe('invalid:bad_credentials');
    expect((await app.accounts.listUsers(root.actor)).items.find((u) => u.id === bob.id)?.disabled).toBe(true);
    await app.accounts.setDisabled(root.actor, { userId: bob.id, disabled: false });
    expect(await codeOf(app.accounts.login({ email: 'bob@example.org', password: PW }))).toBe('ok');
  });

  it('changes the association settings', async () => {
    const root = await makeUser(app, { isAdmin: true });
    await app.instance.updateSettings(root.actor, { name: 'Zinne Brussel', description: 'Munt', defaultLocale: 'nl', openRegistration: 'on' });
    expect(await app.instance.getSettings(root.actor)).toEqual({ name: 'Zinne Brussel', description: 'Munt', defaultLocale: 'nl', openRegistration: true });
    expect(await app.accounts.registrationOpen()).toBe(true);
    await app.instance.updateSettings(root.actor, { name: 'Zinne Brussel', defaultLocale: 'nl' });
    expect(await app.accounts.registrationOpen()).toBe(false);
  });
});
