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

/**
 * Keeps what notices say in line with what they are about: after an edit, the text (for an
 * item) or the title (for a whole subject) of every notice already written changes too, so an
 * inbox line or a mail still waiting never shows text its author replaced.
 */
export async function reviseNotices(tx: Tx, which: { itemId: string } | { subjectId: string }, patch: Partial<Pick<NoticeData, 'title' | 'excerpt' | 'body'>>): Promise<void> {
  let q = tx.selectFrom('notices').select(['id', 'data']);
  q = 'itemId' in which ? q.where('itemId', '=', which.itemId) : q.where('subjectId', '=', which.subjectId);
  for (const n of await q.limit(5000).execute()) {
    const data = JSON.parse(n.data) as NoticeData;
    const next: NoticeData = { ...data, ...patch };
    if (patch.title !== undefined && data.thread) next.thread = { ...data.thread, subject: data.thread.subject.replace(data.title, patch.title) };
    if (patch.title !== undefined && data.summary.params.title !== undefined) next.summary = { ...data.summary, params: { ...data.summary.params, title: patch.title } };
    await tx.updateTable('notices').set({ data: JSON.stringify(next) }).where('id', '=', n.id).execute();
  }
}
