import { sql, type SqlBool } from 'kysely';
import { can } from '../../policy';
import type { Notifiers, SubjectVisibility } from '../notifications';
import { findGroupById, groupFacts } from './group';

/**
 * Who hears of requests to join: the group's admins when a member asks ("admin": a request
 * to handle), the member who asked when it is decided.
 */
export const groupNotifiers: Notifiers = {
  async 'join.requested'(tx, e) {
    if (!e.groupId) return null;
    const g = await findGroupById(tx, e.groupId);
    if (!g) return null;
    const admins = await tx.selectFrom('memberships').select('userId').where('groupId', '=', g.id).where('role', '=', 'admin').execute();
    const who = e.actorId ? await tx.selectFrom('users').select(['id', 'name']).where('id', '=', e.actorId).executeTakeFirst() : undefined;
    const r = await tx.selectFrom('joinRequests').select('message').where('id', '=', e.data.requestId).executeTakeFirst();
    return {
      subject: { kind: 'join_request', id: g.id },
      itemId: e.data.requestId,
      groupId: g.id,
      candidates: admins.map((a) => ({ userId: a.userId, reason: 'admin' as const })),
      mayRead: (a) => can(a, 'group.manage', groupFacts(g)),
      data: {
        title: g.name,
        url: `/groups/${g.slug}/requests`,
        summary: { key: 'notify.join_requested', params: { name: who?.name ?? '', group: g.name } },
        excerpt: r?.message ? r.message.slice(0, 200) : undefined,
        group: { slug: g.slug, name: g.name },
        actor: who ?? null,
      },
    };
  },
  /** An invitation by email to an address a member already uses: it waits in their inbox too. */
  async 'invitation.created'(tx, e) {
    if (!e.data.byEmail) return null;
    const inv = await tx
      .selectFrom('invitations')
      .leftJoin('groups', 'groups.id', 'invitations.groupId')
      .select(['invitations.id', 'invitations.email', 'invitations.groupId', 'groups.name as groupName', 'groups.slug as groupSlug'])
      .where('invitations.id', '=', e.data.invitationId)
      .executeTakeFirst();
    if (!inv?.email || !inv.groupId) return null;
    const member = await tx.selectFrom('users').select('id').where('email', '=', inv.email).where('disabledAt', 'is', null).executeTakeFirst();
    if (!member) return null;
    const who = e.actorId ? await tx.selectFrom('users').select(['id', 'name']).where('id', '=', e.actorId).executeTakeFirst() : undefined;
    return {
      subject: { kind: 'invitation', id: inv.id },
      itemId: inv.id,
      groupId: null,
      candidates: [{ userId: member.id, reason: 'invited' as const }],
      // The invitation itself is the permission: it names the member's own address.
      mayRead: () => true,
      data: {
        title: inv.groupName ?? '',
        url: `/invitations/${inv.id}`,
        summary: { key: 'notify.invited', params: { name: who?.name ?? '', group: inv.groupName ?? '' } },
        group: inv.groupSlug ? { slug: inv.groupSlug, name: inv.groupName ?? '' } : null,
        actor: who ?? null,
      },
    };
  },
  'join.approved': (tx, e) => decided(tx, e.groupId, e.data, true),
  'join.refused': (tx, e) => decided(tx, e.groupId, e.data, false),
};

async function decided(tx: Parameters<NonNullable<Notifiers['join.requested']>>[0], groupId: string | null, d: { requestId: string; userId: string }, approved: boolean) {
  if (!groupId) return null;
  const g = await findGroupById(tx, groupId);
  if (!g) return null;
  return {
    subject: { kind: 'group', id: g.id },
    itemId: d.requestId,
    groupId: g.id,
    // An answer to what the member asked.
    candidates: [{ userId: d.userId, reason: 'replied' as const }],
    // The member who asked may always know the answer about a group they asked to join.
    mayRead: () => true,
    data: {
      title: g.name,
      url: approved ? `/groups/${g.slug}` : '/groups',
      summary: { key: approved ? 'notify.join_approved' : 'notify.join_refused', params: { group: g.name } },
      group: { slug: g.slug, name: g.name },
      actor: null,
    },
  };
}

/** Requests show to the group's admins (and instance admins); decisions to whoever may see the group; invitations to their addressee while they can be used. */
export const groupSubjects: SubjectVisibility = {
  invitation: (actor, subjectId) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM invitations si JOIN users su ON su.email = si.email
      WHERE si.id = ${subjectId} AND su.id = ${actor.userId} AND si.revoked_at IS NULL
        AND (si.max_uses IS NULL OR si.use_count < si.max_uses))`,
  join_request: (actor, subjectId) =>
    actor.isAdmin ? sql<SqlBool>`1 = 1` : sql<SqlBool>`EXISTS (SELECT 1 FROM memberships sm WHERE sm.group_id = ${subjectId} AND sm.user_id = ${actor.userId} AND sm.role = 'admin')`,
  group: (actor, subjectId) =>
    actor.isAdmin
      ? sql<SqlBool>`1 = 1`
      : sql<SqlBool>`EXISTS (SELECT 1 FROM groups sg WHERE sg.id = ${subjectId} AND (sg.visibility <> 'secret' OR EXISTS (SELECT 1 FROM memberships sm WHERE sm.group_id = sg.id AND sm.user_id = ${actor.userId})))`,
};
