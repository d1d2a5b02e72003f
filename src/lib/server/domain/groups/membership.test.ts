import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeGroup, makeMember, makeUser, type TestUser } from '../../../../../tests/support/groups-factories';
import { isUser, visitor, type Actor } from '../../policy';

const rolesOf = (a: Actor) => (isUser(a) ? a.roles : new Map<string, string>());

describe.each(engines)('membership on %s', (engine) => {
  let app: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    app = await createTestApp(engine);
    admin = await makeUser(app, { admin: true, name: 'Ada Admin' });
  });
  afterAll(async () => app?.cleanup());

  const count = async (groupId: string) => {
    const g = await app.db.selectFrom('groups').select('memberCount').where('id', '=', groupId).executeTakeFirstOrThrow();
    const real = await app.db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).where('groupId', '=', groupId).executeTakeFirstOrThrow();
    expect(Number(g.memberCount)).toBe(Number(real.n));
    return Number(g.memberCount);
  };

  it('joins an open group with older items counted as read, and leaves it', async () => {
    const g = await makeGroup(app, await admin.actor(), { visibility: 'open' });
    await app.db.updateTable('groups').set({ lastSeq: 42 }).where('id', '=', g.id).execute();
    const u = await makeUser(app);
    await expect(app.groups.join(visitor, g.slug)).rejects.toMatchObject({ kind: 'unauthenticated' });
    await app.groups.join(await u.actor(), g.slug);
    const m = await app.db.selectFrom('memberships').selectAll().where('groupId', '=', g.id).where('userId', '=', u.id).executeTakeFirstOrThrow();
    expect(m).toMatchObject({ role: 'member', readFloorSeq: 42, unreadCount: 0 });
    expect(await count(g.id)).toBe(2);
    await expect(app.groups.join(await u.actor(), g.slug)).rejects.toMatchObject({ kind: 'forbidden' });
    await app.groups.leave(await u.actor(), g.slug);
    expect(await count(g.id)).toBe(1);
    await expect(app.groups.leave(await u.actor(), g.slug)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('joining a working group does not join its parent, and the reverse', async () => {
    const parent = await makeGroup(app, await admin.actor(), { visibility: 'open' });
    const sub = await makeGroup(app, await admin.actor(), { visibility: 'open', parent: parent.slug });
    const u = await makeUser(app);
    await app.groups.join(await u.actor(), sub.slug);
    expect([...rolesOf(await u.actor()).keys()]).toEqual([sub.id]);
    const v = await makeUser(app);
    await app.groups.join(await v.actor(), parent.slug);
    expect([...rolesOf(await v.actor()).keys()]).toEqual([parent.id]);
  });

  it('may not join a closed group directly: requests, then admins approve or refuse with a notification', async () => {
    const a = await admin.actor();
    const g = await makeGroup(app, a, { visibility: 'closed' });
    const groupAdmin = await makeUser(app);
    await makeMember(app, g.id, groupAdmin.id, 'admin');
    const alice = await makeUser(app);
    const bob = await makeUser(app);
    // The group is visible, so joining it directly is plainly forbidden (not hidden as "not found").
    await expect(app.groups.join(await alice.actor(), g.slug)).rejects.toMatchObject({ kind: 'forbidden' });
    const r1 = await app.groups.requestJoin(await alice.actor(), g.slug, { message: 'I bake bread' });
    await expect(app.groups.requestJoin(await alice.actor(), g.slug, {})).rejects.toMatchObject({ code: 'request_pending' });
    const r2 = await app.groups.requestJoin(await bob.actor(), g.slug, {});
    await expect(app.groups.requests(await alice.actor(), g.slug)).rejects.toMatchObject({ kind: 'not_found' });
    const list = await app.groups.requests(await groupAdmin.actor(), g.slug);
    expect(list.requests.map((r) => [r.name, r.message])).toEqual([
      [alice.name, 'I bake bread'],
      [bob.name, ''],
    ]);
    const notified = await app.db.selectFrom('notifications').select('userId').where('reason', '=', 'admin').where('subjectKind', '=', 'join_request').where('groupId', '=', g.id).where('actorId', '=', alice.id).execute();
    expect(notified.map((n) => n.userId).sort()).toEqual([admin.id, groupAdmin.id].sort());
    const page = await app.groups.overview(await groupAdmin.actor(), g.slug);
    expect(page.pendingRequests).toBe(2);
    expect((await app.groups.overview(await alice.actor(), g.slug)).myPendingRequest).toBe(true);

    await app.groups.decide(await groupAdmin.actor(), g.slug, { requestId: r1.id, decision: 'approve' });
    await app.groups.decide(await groupAdmin.actor(), g.slug, { requestId: r2.id, decision: 'refuse' });
    await expect(app.groups.decide(await groupAdmin.actor(), g.slug, { requestId: r2.id, decision: 'approve' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(rolesOf(await alice.actor()).get(g.id)).toBe('member');
    expect(rolesOf(await bob.actor()).has(g.id)).toBe(false);
    const notes = await app.db.selectFrom('notifications').innerJoin('notices', 'notices.id', 'notifications.noticeId').select(['notifications.userId', 'notices.type']).where('notifications.groupId', '=', g.id).where('notices.type', 'in', ['join.approved', 'join.refused']).execute();
    expect(notes).toEqual(expect.arrayContaining([{ userId: alice.id, type: 'join.approved' }, { userId: bob.id, type: 'join.refused' }]));
    // Handled requests no longer wait in the admins' inboxes.
    expect(await app.notifications.unread(await groupAdmin.actor())).toBe(0);
    expect(await count(g.id)).toBe(3);
    expect((await app.groups.requests(await groupAdmin.actor(), g.slug)).requests).toEqual([]);
  });

  it('a secret group refuses join and request as "not found"', async () => {
    const g = await makeGroup(app, await admin.actor(), { visibility: 'secret' });
    const u = await makeUser(app);
    await expect(app.groups.join(await u.actor(), g.slug)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(app.groups.requestJoin(await u.actor(), g.slug, {})).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('the last admin cannot leave or step down while others remain', async () => {
    const creator = await makeUser(app);
    const parent = await makeGroup(app, await admin.actor(), { visibility: 'open' });
    await makeMember(app, parent.id, creator.id, 'admin');
    const g = await app.groups.create(await creator.actor(), { name: 'Solo', parent: parent.slug });
    const other = await makeUser(app);
    await app.groups.join(await other.actor(), g.slug);
    await expect(app.groups.leave(await creator.actor(), g.slug)).rejects.toMatchObject({ kind: 'conflict', code: 'last_admin' });
    await expect(app.groups.setRole(await creator.actor(), g.slug, { userId: creator.id, role: 'member' })).rejects.toMatchObject({ code: 'last_admin' });
    await expect(app.groups.setRole(await other.actor(), g.slug, { userId: other.id, role: 'admin' })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.groups.setRole(await creator.actor(), g.slug, { userId: other.id, role: 'admin' });
    await app.groups.leave(await creator.actor(), g.slug);
    expect(await count(g.id)).toBe(1);
    // Alone, the last admin may leave.
    await app.groups.leave(await other.actor(), g.slug);
    expect(await count(g.id)).toBe(0);
  });

  it('admins remove members; a member may not', async () => {
    const g = await makeGroup(app, await admin.actor(), { visibility: 'open' });
    const u = await makeUser(app);
    const w = await makeUser(app);
    await app.groups.join(await u.actor(), g.slug);
    await app.groups.join(await w.actor(), g.slug);
    await expect(app.groups.remove(await u.actor(), g.slug, { userId: w.id })).rejects.toMatchObject({ kind: 'forbidden' });
    await app.groups.remove(await admin.actor(), g.slug, { userId: w.id });
    await expect(app.groups.remove(await admin.actor(), g.slug, { userId: w.id })).rejects.toMatchObject({ kind: 'not_found' });
    const members = await app.groups.members(await u.actor(), g.slug);
    expect(members.members.map((m) => m.userId).sort()).toEqual([admin.id, u.id].sort());
    expect(await count(g.id)).toBe(2);
  });
});
