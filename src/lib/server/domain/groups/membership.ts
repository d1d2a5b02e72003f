import type { Deps } from '../../kernel/deps';
import { inTx } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import type { Tx } from '../../db/connect';
import type { Role } from '../../db/schema';
import { conflict, notFound } from '../../kernel/errors';
import { newId, type UserId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, userIdOf, type Actor } from '../../policy';
import { groupFacts, groupSeenBySlug } from './group';
import { markItemHandled } from '../notifications';
import { DecideRequestInput, JoinRequestInput, MemberInput, SetRoleInput } from './schemas';

/**
 * Adds a membership in the caller's transaction and keeps `groups.memberCount` right.
 * Items older than the join count as read. Returns false when already a member.
 */
export async function addMember(tx: Tx, groupId: string, userId: string, role: Role, at: Date): Promise<boolean> {
  const exists = await tx.selectFrom('memberships').select('role').where('groupId', '=', groupId).where('userId', '=', userId).executeTakeFirst();
  if (exists) return false;
  await tx
    .insertInto('memberships')
    .values({
      groupId,
      userId,
      role,
      createdAt: at.toISOString(),
      readFloorSeq: tx.selectFrom('groups').select('lastSeq').where('id', '=', groupId),
      unreadCount: 0,
    })
    .execute();
  await tx.updateTable('groups').set((eb) => ({ memberCount: eb('memberCount', '+', 1) })).where('id', '=', groupId).execute();
  // A membership answers any pending request of the same person.
  await tx.updateTable('joinRequests').set({ status: 'approved', decidedAt: at.toISOString() }).where('groupId', '=', groupId).where('userId', '=', userId).where('status', '=', 'pending').execute();
  return true;
}

/** Removes a membership (keeping `memberCount` right); refuses to leave a group without an admin. */
async function removeMember(tx: Tx, groupId: string, userId: string) {
  const m = await tx.selectFrom('memberships').select('role').where('groupId', '=', groupId).where('userId', '=', userId).executeTakeFirst();
  if (!m) return notFound();
  if (m.role === 'admin') await assertAnotherAdmin(tx, groupId, userId, true);
  await tx.deleteFrom('memberships').where('groupId', '=', groupId).where('userId', '=', userId).execute();
  await tx.updateTable('groups').set((eb) => ({ memberCount: eb('memberCount', '-', 1) })).where('id', '=', groupId).execute();
}

/**
 * The last admin may not step down while other members remain: the group would be left
 * with nobody to approve requests or invite. (Alone, they may leave an empty group.)
 */
async function assertAnotherAdmin(tx: Tx, groupId: string, userId: string, leaving: boolean) {
  const admins = await tx.selectFrom('memberships').select('userId').where('groupId', '=', groupId).where('role', '=', 'admin').where('userId', '<>', userId).limit(1).execute();
  if (admins.length) return;
  if (leaving) {
    const others = await tx.selectFrom('memberships').select('userId').where('groupId', '=', groupId).where('userId', '<>', userId).limit(1).execute();
    if (!others.length) return;
  }
  conflict('last_admin');
}

/** Joining, requests to join, leaving, and managing members. */
export function membershipCommands(deps: Deps) {
  const { db, clock } = deps;

  /** Joins an open group (`group.join`). */
  async function join(actor: Actor, slug: string) {
    return inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.join', groupFacts(g));
      const uid = userIdOf(actor)!;
      if (await addMember(tx, g.id, uid, 'member', clock.now())) await recordEvent(tx, { type: 'member.joined', groupId: g.id, actorId: uid, data: { userId: uid } }, clock.now());
      return { slug: g.slug, role: 'member' as Role };
    });
  }

  /** Asks to join a closed group, with a message for its admins (`group.requestJoin`). */
  async function requestJoin(actor: Actor, slug: string, raw: unknown) {
    const input = parse(JoinRequestInput, raw);
    return once(deps, { userId: userIdOf(actor), key: input.key, scope: 'join.request' }, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.requestJoin', groupFacts(g));
      const uid = userIdOf(actor)!;
      const pending = await tx.selectFrom('joinRequests').select('id').where('groupId', '=', g.id).where('userId', '=', uid).where('status', '=', 'pending').executeTakeFirst();
      if (pending) conflict('request_pending');
      const id = newId();
      const now = clock.now();
      await tx.insertInto('joinRequests').values({ id, groupId: g.id, userId: uid, message: input.message, status: 'pending', createdAt: now.toISOString(), decidedBy: null, decidedAt: null }).execute();
      await recordEvent(tx, { type: 'join.requested', groupId: g.id, actorId: uid, data: { requestId: id } }, now);
      return { id, status: 'pending' as const };
    });
  }

  /** Pending requests, oldest first (`group.manage`). */
  async function requests(actor: Actor, slug: string) {
    const g = await groupSeenBySlug(db, actor, slug);
    authorize(actor, 'group.manage', groupFacts(g));
    const rows = await db
      .selectFrom('joinRequests')
      .innerJoin('users', 'users.id', 'joinRequests.userId')
      .select(['joinRequests.id', 'joinRequests.message', 'joinRequests.createdAt', 'users.id as userId', 'users.name', 'users.handle', 'users.avatarFileId'])
      .where('joinRequests.groupId', '=', g.id)
      .where('joinRequests.status', '=', 'pending')
      .orderBy('joinRequests.createdAt')
      .orderBy('joinRequests.id')
      .limit(500)
      .execute();
    return { group: { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility }, requests: rows.map((r) => ({ ...r, userId: r.userId as UserId })) };
  }

  /** Approves (adds the member) or refuses a pending request; the requester is notified. */
  async function decide(actor: Actor, slug: string, raw: unknown) {
    const input = parse(DecideRequestInput, raw);
    return inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      const r = await tx.selectFrom('joinRequests').selectAll().where('id', '=', input.requestId).where('groupId', '=', g.id).executeTakeFirst();
      if (!r || r.status !== 'pending') return notFound();
      const now = clock.now();
      const by = userIdOf(actor);
      const status = input.decision === 'approve' ? 'approved' : 'refused';
      await tx.updateTable('joinRequests').set({ status, decidedBy: by, decidedAt: now.toISOString() }).where('id', '=', r.id).execute();
      if (status === 'approved') await addMember(tx, g.id, r.userId, 'member', now);
      // Handled: the other admins' notifications of this request are read.
      await markItemHandled(tx, r.id, now.toISOString(), deps.inboxLive);
      await recordEvent(tx, { type: status === 'approved' ? 'join.approved' : 'join.refused', groupId: g.id, actorId: by, data: { requestId: r.id, userId: r.userId } }, now);
      return { id: r.id, status };
    });
  }

  /** Leaves a group (`group.leave`); the last admin must first name another admin. */
  async function leave(actor: Actor, slug: string) {
    await inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.leave', groupFacts(g));
      const uid = userIdOf(actor)!;
      await removeMember(tx, g.id, uid);
      await recordEvent(tx, { type: 'member.left', groupId: g.id, actorId: uid, data: { userId: uid } }, clock.now());
    });
  }

  /** Removes someone from the group (`group.manage`). */
  async function remove(actor: Actor, slug: string, raw: unknown) {
    const input = parse(MemberInput, raw);
    await inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      await removeMember(tx, g.id, input.userId);
      await recordEvent(tx, { type: 'member.removed', groupId: g.id, actorId: userIdOf(actor), data: { userId: input.userId } }, clock.now());
    });
  }

  /** Promotes a member to admin or demotes an admin (`group.manage`); a group keeps one admin. */
  async function setRole(actor: Actor, slug: string, raw: unknown) {
    const input = parse(SetRoleInput, raw);
    await inTx(deps, async (tx) => {
      const g = await groupSeenBySlug(tx, actor, slug);
      authorize(actor, 'group.manage', groupFacts(g));
      const m = await tx.selectFrom('memberships').select('role').where('groupId', '=', g.id).where('userId', '=', input.userId).executeTakeFirst();
      if (!m) return notFound();
      if (m.role === input.role) return;
      if (input.role === 'member') await assertAnotherAdmin(tx, g.id, input.userId, false);
      await tx.updateTable('memberships').set({ role: input.role }).where('groupId', '=', g.id).where('userId', '=', input.userId).execute();
      await recordEvent(tx, { type: 'member.role_changed', groupId: g.id, actorId: userIdOf(actor), data: { userId: input.userId, role: input.role } }, clock.now());
    });
  }

  return { join, requestJoin, requests, decide, leave, remove, setRole };
}
