import type { App } from '../../src/lib/server/app';

/** Any app: a test app or the one behind an end-to-end server. */
type TestApp = Pick<App, 'db' | 'deps' | 'clock' | 'sessions'>;
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { newId, type GroupId, type UserId } from '../../src/lib/server/kernel/ids';
import type { Role, Visibility } from '../../src/lib/server/db/schema';
import type { Actor } from '../../src/lib/server/policy';

/** Factories for discussions tests: users, groups and memberships by direct inserts. */
let n = 0;
export async function makeUser(app: TestApp, over: { name?: string; handle?: string; isAdmin?: boolean } = {}) {
  n += 1;
  const name = over.name ?? `Member ${n}`;
  const u = await insertUser(app.deps, app.db, { email: `m${n}-${newId().slice(-8)}@example.org`, name, handle: over.handle, isAdmin: over.isAdmin ?? false });
  return { id: u.id as UserId, handle: u.handle, name };
}

export async function makeGroup(app: TestApp, over: { name?: string; slug?: string; visibility?: Visibility; createdBy: string }) {
  n += 1;
  const id = newId<GroupId>();
  const slug = over.slug ?? `group-${n}-${id.slice(-6)}`;
  const now = app.clock.now().toISOString();
  await app.db
    .insertInto('groups')
    .values({ id, parentId: null, name: over.name ?? `Group ${n}`, slug, description: '', coverFileId: null, visibility: over.visibility ?? 'open', createdBy: over.createdBy, createdAt: now, lastSeq: 0, discussionCount: 0, memberCount: 0, lastActivityAt: now })
    .execute();
  return { id, slug };
}

/** Joins like the groups feature does: everything posted before counts as read. */
export async function addMember(app: TestApp, groupId: string, userId: string, role: Role = 'member') {
  const g = await app.db.selectFrom('groups').select('lastSeq').where('id', '=', groupId).executeTakeFirstOrThrow();
  await app.db
    .insertInto('memberships')
    .values({ groupId, userId, role, createdAt: app.clock.now().toISOString(), readFloorSeq: Number(g.lastSeq), unreadCount: 0 })
    .execute();
  await app.db.updateTable('groups').set((eb) => ({ memberCount: eb('memberCount', '+', 1) })).where('id', '=', groupId).execute();
}

export const actorOf = (app: TestApp, userId: string): Promise<Actor> => app.sessions.actorFor(userId as UserId);

export async function unreadOf(app: TestApp, groupId: string, userId: string): Promise<number> {
  const m = await app.db.selectFrom('memberships').select('unreadCount').where('groupId', '=', groupId).where('userId', '=', userId).executeTakeFirstOrThrow();
  return Number(m.unreadCount);
}

/** A group with an admin and two members, each with a fresh actor. */
export async function makeCircle(app: TestApp, visibility: Visibility = 'closed') {
  const admin = await makeUser(app, { name: 'Ada Admin' });
  const anne = await makeUser(app, { name: 'Anne Peeters' });
  const bert = await makeUser(app, { name: 'Bert Janssens' });
  const outsider = await makeUser(app, { name: 'Olga Outsider' });
  const g = await makeGroup(app, { visibility, createdBy: admin.id });
  await addMember(app, g.id, admin.id, 'admin');
  await addMember(app, g.id, anne.id);
  await addMember(app, g.id, bert.id);
  return {
    g,
    admin: { ...admin, actor: await actorOf(app, admin.id) },
    anne: { ...anne, actor: await actorOf(app, anne.id) },
    bert: { ...bert, actor: await actorOf(app, bert.id) },
    outsider: { ...outsider, actor: await actorOf(app, outsider.id) },
  };
}
