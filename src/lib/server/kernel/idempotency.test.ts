import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../tests/support/app';
import { actorOf, makeCircle, makeUser } from '../../../../tests/support/discussions-factories';
import { forgetOldKeys, KEEP_KEYS_DAYS } from './idempotency';

const count = async (app: TestApp, table: 'discussions' | 'comments' | 'groups' | 'invitations' | 'joinRequests' | 'chatRooms' | 'groupLinks' | 'jobs' | 'idempotencyKeys') =>
  Number((await app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe.each(engines)('idempotent creating writes on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  beforeEach(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
  });
  afterEach(() => app.cleanup());

  it('a discussion and a reply sent twice with one key are written once, and the first is returned', async () => {
    const first = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Assemblée', body: 'Ordre du jour', key: 'form-key-0001' });
    const again = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Assemblée', body: 'Ordre du jour', key: 'form-key-0001' });
    expect(again.id).toBe(first.id);
    expect(await count(app, 'discussions')).toBe(1);
    const events = await app.db.selectFrom('events').select('id').where('type', '=', 'discussion.started').execute();
    expect(events).toHaveLength(1);

    const r1 = await app.discussions.reply(c.bert.actor, { discussionId: first.id, body: 'Présent', key: 'reply-key-0001' });
    const r2 = await app.discussions.reply(c.bert.actor, { discussionId: first.id, body: 'Présent', key: 'reply-key-0001' });
    expect(r2.id).toBe(r1.id);
    expect(await count(app, 'comments')).toBe(1);
    // Another key is another reply; the same key from another member is theirs.
    await app.discussions.reply(c.bert.actor, { discussionId: first.id, body: 'Présent', key: 'reply-key-0002' });
    await app.discussions.reply(c.anne.actor, { discussionId: first.id, body: 'Moi aussi', key: 'reply-key-0001' });
    expect(await count(app, 'comments')).toBe(3);
    // Without a key nothing changes: two posts, two replies.
    await app.discussions.reply(c.bert.actor, { discussionId: first.id, body: 'Encore' });
    await app.discussions.reply(c.bert.actor, { discussionId: first.id, body: 'Encore' });
    expect(await count(app, 'comments')).toBe(5);
  });

  it('twins sent at the same moment still write once', async () => {
    const send = () => app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Twins', body: 'x', key: 'twin-key-0001' });
    const [a, b, d] = await Promise.all([send(), send(), send()]);
    expect(new Set([a.id, b.id, d.id]).size).toBe(1);
    expect(await count(app, 'discussions')).toBe(1);
  });

  it('a refused write stores no key, so correcting the form and sending it again works', async () => {
    await expect(app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Ok', body: 'x', fileIds: ['0190a0a0-0000-7000-8000-000000000000'], key: 'retry-key-001' })).rejects.toMatchObject({
      issues: [{ code: 'file_unknown' }],
    });
    expect(await count(app, 'idempotencyKeys')).toBe(0);
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Ok', body: 'x', key: 'retry-key-001' });
    expect(d.title).toBe('Ok');
    expect(await count(app, 'discussions')).toBe(1);
  });

  it('a key used for another kind of form is refused', async () => {
    const d = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'A', body: 'x', key: 'shared-key-01' });
    await expect(app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'y', key: 'shared-key-01' })).rejects.toMatchObject({ kind: 'invalid', issues: [{ path: 'key', code: 'key_reused' }] });
    await expect(app.discussions.reply(c.anne.actor, { discussionId: d.id, body: 'y', key: 'bad key!' })).rejects.toMatchObject({ issues: [{ path: 'key', code: 'bad_key' }] });
  });

  it('groups, working groups, links, invitations, join requests and direct conversations', async () => {
    const boss = await makeUser(app, { name: 'Instance Admin', isAdmin: true });
    const admin = await actorOf(app, boss.id);
    const g1 = await app.groups.create(admin, { name: 'Quartier Nord', key: 'group-key-001' });
    const g2 = await app.groups.create(admin, { name: 'Quartier Nord', key: 'group-key-001' });
    expect(g2.id).toBe(g1.id);
    const admin2 = await actorOf(app, boss.id);
    const s1 = await app.groups.create(admin2, { name: 'Potager', parent: g1.slug, key: 'sub-key-00001' });
    const s2 = await app.groups.create(admin2, { name: 'Potager', parent: g1.slug, key: 'sub-key-00001' });
    expect(s2.id).toBe(s1.id);
    const groups = await count(app, 'groups');
    expect(groups).toBe(3);

    const l1 = await app.groups.addLink(c.admin.actor, c.g.slug, { title: 'Wiki', url: 'https://example.org/wiki', key: 'link-key-0001' });
    const l2 = await app.groups.addLink(c.admin.actor, c.g.slug, { title: 'Wiki', url: 'https://example.org/wiki', key: 'link-key-0001' });
    expect(l2).toEqual(l1);
    expect(await count(app, 'groupLinks')).toBe(1);

    const jobs = await count(app, 'jobs');
    const m1 = await app.groups.invitations.inviteByEmail(c.admin.actor, c.g.slug, { emails: 'new@example.org, other@example.org', key: 'invite-key-01' });
    const m2 = await app.groups.invitations.inviteByEmail(c.admin.actor, c.g.slug, { emails: 'new@example.org, other@example.org', key: 'invite-key-01' });
    expect(m2).toEqual(m1);
    expect(await count(app, 'invitations')).toBe(2);
    expect((await count(app, 'jobs')) - jobs).toBe(2);

    const k1 = await app.groups.invitations.createLink(c.admin.actor, c.g.slug, { days: 7, key: 'link-inv-key1' });
    const k2 = await app.groups.invitations.createLink(c.admin.actor, c.g.slug, { days: 7, key: 'link-inv-key1' });
    expect(k2).toEqual(k1);
    expect(k1.url).toContain(k1.token);
    expect(await count(app, 'invitations')).toBe(3);
    // The link works, and its secret is not kept in clear anywhere in the database.
    expect((await app.groups.invitations.preview(c.outsider.actor, { token: k1.token })).state).toBe('valid');
    const stored = await app.db.selectFrom('idempotencyKeys').select('result').execute();
    expect(stored.map((r) => r.result).join(' ')).not.toContain(k1.token);

    const j1 = await app.groups.requestJoin(c.outsider.actor, c.g.slug, { message: 'Bonjour', key: 'join-key-0001' });
    const j2 = await app.groups.requestJoin(c.outsider.actor, c.g.slug, { message: 'Bonjour', key: 'join-key-0001' });
    expect(j2).toEqual(j1);
    expect(await count(app, 'joinRequests')).toBe(1);

    const d1 = await app.chat.openDirect(c.anne.actor, { handles: c.bert.handle, key: 'dm-key-000001' });
    const d2 = await app.chat.openDirect(c.anne.actor, { handles: c.bert.handle, key: 'dm-key-000001' });
    expect(d2.roomId).toBe(d1.roomId);
    expect(await count(app, 'chatRooms')).toBe(1);
  });

  it('forgets keys after a few days', async () => {
    await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Old', body: 'x', key: 'old-key-00001' });
    app.clock.advance((KEEP_KEYS_DAYS - 1) * 86_400_000);
    expect(await forgetOldKeys(app.db, app.clock.now())).toBe(0);
    app.clock.advance(2 * 86_400_000);
    expect(await forgetOldKeys(app.db, app.clock.now())).toBe(1);
    await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Old', body: 'x', key: 'old-key-00001' });
    expect(await count(app, 'discussions')).toBe(2);
  });
});
