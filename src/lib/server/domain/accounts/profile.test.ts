import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeInstance, makeUser, visitorActor } from '../../../../../tests/support/accounts-factories';
import { isDomainError } from '../../kernel/errors';
import { newId } from '../../kernel/ids';

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

describe.each(engines)('%s: own account', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  it('updates name, handle, language, time zone and bio; handles stay unique', async () => {
    const anne = await makeUser(app, { name: 'Anne', handle: 'anne' });
    await makeUser(app, { name: 'Bob', handle: 'bob' });
    const me = await app.accounts.updateProfile(anne.actor, { name: ' Anne P. ', handle: 'Anne_P', locale: 'nl', timeZone: 'America/Montreal', bio: '**Hi**' });
    expect(me).toMatchObject({ name: 'Anne P.', handle: 'anne_p', locale: 'nl', timeZone: 'America/Montreal', bio: '**Hi**' });
    expect(await codeOf(app.accounts.updateProfile(anne.actor, { handle: 'bob' }))).toBe('invalid:handle_taken');
    expect(await codeOf(app.accounts.updateProfile(anne.actor, { handle: 'no spaces!' }))).toBe('invalid:handle');
    expect(await codeOf(app.accounts.updateProfile(anne.actor, { timeZone: 'Europe/Atlantis' }))).toBe('invalid:bad_value');
    expect(await codeOf(app.accounts.updateProfile(anne.actor, { locale: 'de' }))).toBe('invalid:bad_value');
    expect(await codeOf(app.accounts.updateProfile(visitorActor, { name: 'X' }))).toBe('unauthenticated:login_required');
    // Keeping one's own handle is fine.
    expect(await codeOf(app.accounts.updateProfile(anne.actor, { handle: 'anne_p', name: 'Anne' }))).toBe('ok');
  });

  it('shows profiles to members only, with the bio rendered safely', async () => {
    const anne = await makeUser(app, { name: 'Anne', handle: 'anne' });
    const bob = await makeUser(app, { name: 'Bob' });
    await app.accounts.updateProfile(anne.actor, { bio: 'I *like* bees <script>alert(1)</script>' });
    const p = await app.accounts.publicProfile(bob.actor, { handle: 'ANNE' });
    expect(p.bioHtml).toContain('<em>like</em>');
    expect(p.bioHtml).not.toContain('<script');
    expect(p).not.toHaveProperty('email');
    expect(await codeOf(app.accounts.publicProfile(visitorActor, { handle: 'anne' }))).toBe('not_found:not_found');
    expect(await codeOf(app.accounts.publicProfile(bob.actor, { handle: 'nobody' }))).toBe('not_found:not_found');
  });

  it('uses only the member’s own avatar uploads', async () => {
    const anne = await makeUser(app);
    const bob = await makeUser(app);
    const file = (ownerId: string, purpose: 'avatar' | 'attachment') => ({ id: newId(), ownerId, purpose, groupId: null, discussionId: null, commentId: null, name: 'a.webp', mime: 'image/webp', size: 10, width: 256, height: 256, hasPreview: 0, createdAt: app.clock.now().toISOString() });
    const mine = file(anne.id, 'avatar');
    const theirs = file(bob.id, 'avatar');
    const attachment = file(anne.id, 'attachment');
    await app.db.insertInto('files').values([mine, theirs, attachment]).execute();
    expect((await app.accounts.setAvatar(anne.actor, { fileId: mine.id })).avatarUrl).toBe(`/files/${mine.id}`);
    expect(await codeOf(app.accounts.setAvatar(anne.actor, { fileId: theirs.id }))).toBe('not_found:not_found');
    expect(await codeOf(app.accounts.setAvatar(anne.actor, { fileId: attachment.id }))).toBe('not_found:not_found');
    expect((await app.accounts.setAvatar(anne.actor, { fileId: null })).avatarFileId).toBeNull();
  });

  it('changes the password with the current one and ends the other sessions', async () => {
    const u = await makeUser(app, { email: 'sam@example.org', password: PW });
    const here = await app.accounts.login({ email: 'sam@example.org', password: PW });
    const phone = await app.accounts.login({ email: 'sam@example.org', password: PW });
    expect(await codeOf(app.accounts.changePassword(u.actor, { currentPassword: 'wrong one', password: 'new long password' }, here.token))).toBe('invalid:wrong_password');
    await app.accounts.changePassword(u.actor, { currentPassword: PW, password: 'new long password' }, here.token);
    expect(await app.sessions.userIdFor(here.token)).toBe(u.id);
    expect(await app.sessions.userIdFor(phone.token)).toBeNull();
    expect(await codeOf(app.accounts.login({ email: 'sam@example.org', password: 'new long password' }))).toBe('ok');
  });

  it('lists and revokes the member’s sessions, never another member’s', async () => {
    const sam = await makeUser(app, { email: 'sam@example.org', password: PW });
    const eve = await makeUser(app, { email: 'eve@example.org', password: PW });
    const a = await app.accounts.login({ email: 'sam@example.org', password: PW }, { userAgent: 'Firefox' });
    app.clock.advance(1000);
    const b = await app.accounts.login({ email: 'sam@example.org', password: PW }, { userAgent: 'Chrome' });
    const list = await app.accounts.listSessions(sam.actor, a.token);
    expect(list.map((s) => [s.userAgent, s.current])).toEqual([['Chrome', false], ['Firefox', true]]);
    expect(await codeOf(app.accounts.revokeSession(eve.actor, { id: list[0].id }))).toBe('not_found:not_found');
    await app.accounts.revokeSession(sam.actor, { id: list[0].id });
    expect(await app.sessions.userIdFor(b.token)).toBeNull();
    expect(await app.sessions.userIdFor(a.token)).toBe(sam.id);
  });

  it('stores the footer language for members and ignores it for visitors', async () => {
    const sam = await makeUser(app, { locale: 'fr' });
    await app.accounts.setLocale(sam.actor, { locale: 'en' });
    await app.accounts.setLocale(visitorActor, { locale: 'nl' });
    expect((await app.sessions.identify(sam.id)).user?.locale).toBe('en');
  });
});
