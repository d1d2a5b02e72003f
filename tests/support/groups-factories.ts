import type { TestApp } from './app';
import type { Visibility, Role } from '../../src/lib/server/db/schema';
import type { UserId } from '../../src/lib/server/kernel/ids';
import type { Actor } from '../../src/lib/server/policy';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { addMember } from '../../src/lib/server/domain/groups/membership';

let n = 0;

/** A user (no password) and a fresh actor loader, since an actor's roles change as they join. */
export async function makeUser(app: TestApp, opts: { name?: string; email?: string; admin?: boolean; locale?: 'fr' | 'nl' | 'en' } = {}) {
  n += 1;
  const name = opts.name ?? `Member ${n}`;
  const email = opts.email ?? `member${n}-${Math.random().toString(36).slice(2, 7)}@example.org`;
  const u = await insertUser(app.deps, app.db, { name, email, isAdmin: opts.admin ?? false, locale: opts.locale ?? 'fr' });
  return { id: u.id, name, email, handle: u.handle, actor: () => app.sessions.actorFor(u.id) };
}
export type TestUser = Awaited<ReturnType<typeof makeUser>>;

/** Makes sure the association exists (invitation mails name it). */
export async function makeInstance(app: TestApp, name = 'Zinne') {
  if (!(await app.instance.get()))
    await app.db.insertInto('instance').values({ id: 1, name, description: '', openRegistration: 0, defaultLocale: 'fr', createdAt: app.clock.now().toISOString() }).execute();
}

/** A group created through the service by `creator` (an instance admin, or the parent's admin). */
export async function makeGroup(app: TestApp, creator: Actor, opts: { name?: string; visibility?: Visibility; parent?: string; slug?: string } = {}) {
  n += 1;
  return app.groups.create(creator, { name: opts.name ?? `Group ${n}`, visibility: opts.visibility ?? 'open', parent: opts.parent, slug: opts.slug });
}

/** Adds a member directly (as an approved request or an accepted invitation would). */
export async function makeMember(app: TestApp, groupId: string, userId: UserId | string, role: Role = 'member') {
  await addMember(app.db, groupId, userId, role, app.clock.now());
}
