import { sql } from 'kysely';
import type { DigestSource } from '../notifications';

/**
 * Tasks in a member's digest: in the groups they get digests for, the open tasks assigned to
 * them or created by them that changed in the window (new comments by others are counted), and
 * those of theirs that became overdue in it. Only the member's own groups are looked at (the
 * membership join is the policy here, as for discussions).
 */
export const taskDigest: DigestSource = async (db, { userId, windows, at }) => {
  const groupIds = [...windows.keys()];
  if (!groupIds.length) return [];
  const oldest = [...windows.values()].sort()[0];
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 't.groupId').on('m.userId', '=', userId))
    .innerJoin('groups as g', 'g.id', 't.groupId')
    .select(['t.id', 't.title', 't.groupId', 't.updatedAt', 't.overdueAt', 'g.name as groupName'])
    .select((eb) =>
      eb
        .selectFrom('taskComments as c')
        .select((e2) => e2.fn.countAll<number>().as('n'))
        .whereRef('c.taskId', '=', 't.id')
        .where('c.deletedAt', 'is', null)
        .where('c.authorId', '<>', userId)
        .where('c.createdAt', '>', oldest)
        .where('c.createdAt', '<=', at)
        .as('newComments'),
    )
    .where('t.groupId', 'in', groupIds)
    .where('t.deletedAt', 'is', null)
    .where('t.completedAt', 'is', null)
    .where((eb) => eb.or([eb('t.authorId', '=', userId), eb.exists(eb.selectFrom('taskAssignees as a').select('a.taskId').whereRef('a.taskId', '=', 't.id').where('a.userId', '=', userId))]))
    .where((eb) => eb.or([eb.and([eb('t.updatedAt', '>', oldest), eb('t.updatedAt', '<=', at)]), eb.and([eb('t.overdueAt', '>', oldest), eb('t.overdueAt', '<=', at)])]))
    .orderBy('g.name')
    .orderBy(sql`t.updated_at`, 'desc')
    .limit(100)
    .execute();
  return rows
    .filter((r) => r.updatedAt > windows.get(r.groupId)! || (r.overdueAt !== null && r.overdueAt > windows.get(r.groupId)!))
    .map((r) => ({ groupId: r.groupId, groupName: r.groupName, title: r.title, url: `/tasks/${r.id}`, newCount: Number(r.newComments), lastActivityAt: r.updatedAt }));
};
