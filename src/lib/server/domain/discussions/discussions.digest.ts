import { sql } from 'kysely';
import type { DigestSource } from '../notifications';

/**
 * Discussions of the member's digest groups with activity in the window that they have not
 * read: a new discussion by someone else, or replies by others after their read mark. Only
 * the member's own groups are looked at (the membership join is the policy here).
 */
export const discussionDigest: DigestSource = async (db, { userId, windows, at }) => {
  const groupIds = [...windows.keys()];
  if (!groupIds.length) return [];
  const oldest = [...windows.values()].sort()[0];
  const mark = sql<number>`(CASE WHEN dr.last_read_seq IS NOT NULL AND dr.last_read_seq > m.read_floor_seq THEN dr.last_read_seq ELSE m.read_floor_seq END)`;
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('groups as g', 'g.id', 'm.groupId')
    .innerJoin('discussions as d', 'd.groupId', 'm.groupId')
    .leftJoin('discussionReads as dr', (j) => j.onRef('dr.discussionId', '=', 'd.id').onRef('dr.userId', '=', 'm.userId'))
    .select(['d.id', 'd.title', 'd.groupId', 'd.seq', 'd.authorId', 'd.lastActivityAt', 'g.name as groupName'])
    .select((eb) => [
      eb
        .selectFrom('comments as c')
        .select((e2) => e2.fn.countAll<number>().as('n'))
        .whereRef('c.discussionId', '=', 'd.id')
        .where('c.deletedAt', 'is', null)
        .where('c.authorId', '<>', userId)
        .where(sql<boolean>`c.seq > ${mark}`)
        .as('newReplies'),
      sql<number>`${mark}`.as('mark'),
    ])
    .where('m.userId', '=', userId)
    .where('m.groupId', 'in', groupIds)
    .where('d.deletedAt', 'is', null)
    .where('d.lastActivityAt', '>', oldest)
    .where('d.lastActivityAt', '<=', at)
    .where(sql<boolean>`d.last_seq > ${mark}`)
    .orderBy('g.name')
    .orderBy('d.lastActivityAt', 'desc')
    .limit(200)
    .execute();
  return rows
    .filter((r) => r.lastActivityAt > windows.get(r.groupId)! && (Number(r.newReplies) > 0 || (Number(r.seq) > Number(r.mark) && r.authorId !== userId)))
    .map((r) => ({ groupId: r.groupId, groupName: r.groupName, title: r.title, url: `/d/${r.id}`, newCount: Number(r.newReplies), lastActivityAt: r.lastActivityAt }));
};
