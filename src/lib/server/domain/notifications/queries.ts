import type { Tx } from '../../db/connect';
import type { UserActor } from '../../policy';
import type { SubjectVisibility } from './channel';
import { visibleTo } from './inbox';
import type { NoticeData } from './notice';
import type { Reason } from './reasons';

/**
 * Unread notifications of some reasons within a period, about what the member may still
 * read: what a digest lists first (mentions, requests waiting for them).
 */
export async function unreadNotices(db: Tx, actor: UserActor, subjects: SubjectVisibility, o: { reasons: Reason[]; since: string; until: string; limit: number }) {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('notices as x', 'x.id', 'n.noticeId')
    .select(['n.id', 'n.reason', 'n.subjectKind', 'n.subjectId', 'n.groupId', 'n.createdAt', 'x.data'])
    .where('n.userId', '=', actor.userId)
    .where('n.readAt', 'is', null)
    .where('n.reason', 'in', o.reasons)
    .where('n.createdAt', '>', o.since)
    .where('n.createdAt', '<=', o.until)
    .where(visibleTo(actor, subjects))
    .orderBy('n.createdAt', 'desc')
    .limit(o.limit)
    .execute();
  return rows.map((r) => ({ id: r.id, reason: r.reason as Reason, subjectKind: r.subjectKind, subjectId: r.subjectId, groupId: r.groupId, createdAt: r.createdAt, data: JSON.parse(r.data) as NoticeData }));
}

/** The member's latest notifications of some reasons (read or not), about what they may still read, newest first. */
export async function recentNotices(db: Tx, actor: UserActor, subjects: SubjectVisibility, o: { reasons: Reason[]; limit: number }) {
  const rows = await db
    .selectFrom('notifications as n')
    .innerJoin('notices as x', 'x.id', 'n.noticeId')
    .select(['n.id', 'n.reason', 'n.subjectKind', 'n.subjectId', 'n.actorId', 'n.createdAt', 'n.readAt', 'x.data'])
    .where('n.userId', '=', actor.userId)
    .where('n.reason', 'in', o.reasons)
    .where(visibleTo(actor, subjects))
    .orderBy('n.createdAt', 'desc')
    .orderBy('n.id', 'desc')
    .limit(o.limit)
    .execute();
  return rows.map((r) => ({ id: r.id, reason: r.reason as Reason, subjectKind: r.subjectKind, subjectId: r.subjectId, actorId: r.actorId, createdAt: r.createdAt, readAt: r.readAt, data: JSON.parse(r.data) as NoticeData }));
}
