import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import { prepared } from '../../db/prepared';
import { inTx, type Deps } from '../../kernel/deps';
import { parse } from '../../kernel/validate';
import { recordEvent } from '../../kernel/outbox';
import { authorize, isUser, type Actor } from '../../policy';
import { groupBySlugOr404, groupFactsOf, type DiscussionRow } from './discussions.repo';
import { MarkAllReadInput } from './schemas';

/**
 * Unread tracking. Every discussion and comment takes the next group-wide `seq`. A member
 * has read an item when its seq is at or below max(memberships.readFloorSeq,
 * discussion_reads.lastReadSeq); their own items never count. memberships.unreadCount is
 * kept current on every write, so pages read one number instead of counting.
 */

/** A new item was posted: one more unread item for every member but its author. */
export async function countPosted(tx: Tx, groupId: string, authorId: string): Promise<void> {
  await tx
    .updateTable('memberships')
    .set((eb) => ({ unreadCount: eb('unreadCount', '+', 1) }))
    .where('groupId', '=', groupId)
    .where('userId', '<>', authorId)
    .execute();
}

const subtract = (n: number) => sql<number>`CASE WHEN unread_count > ${sql.lit(n)} THEN unread_count - ${sql.lit(n)} ELSE 0 END`;

// Read on every view of a discussion by a member: compiled once.
const readFloorOf = prepared(['groupId', 'userId'], (db, p: { groupId: string; userId: string }) =>
  db.selectFrom('memberships').select(['readFloorSeq']).where('groupId', '=', p.groupId).where('userId', '=', p.userId),
);
const lastReadOf = prepared(['userId', 'discussionId'], (db, p: { userId: string; discussionId: string }) =>
  db.selectFrom('discussionReads').select('lastReadSeq').where('userId', '=', p.userId).where('discussionId', '=', p.discussionId),
);

/** A member's effective read mark in a discussion (null for a non-member, who has none). */
export async function readMarkOf(db: Tx, userId: string, d: DiscussionRow): Promise<number | null> {
  const m = await readFloorOf.first(db, { groupId: d.groupId, userId });
  if (!m) return null;
  const r = await lastReadOf.first(db, { userId, discussionId: d.id });
  return Math.max(Number(m.readFloorSeq), Number(r?.lastReadSeq ?? 0));
}

/**
 * Marks a discussion read up to `upTo` (the last item shown) for a member. Returns the
 * previous effective read mark (for the "first unread" anchor), or null for a non-member,
 * who has no unread state.
 */
export async function markDiscussionRead(tx: Tx, userId: string, d: DiscussionRow, upTo: number, now: string): Promise<number | null> {
  const m = await tx.selectFrom('memberships').select(['readFloorSeq']).where('groupId', '=', d.groupId).where('userId', '=', userId).executeTakeFirst();
  if (!m) return null;
  const r = await tx.selectFrom('discussionReads').select('lastReadSeq').where('userId', '=', userId).where('discussionId', '=', d.id).executeTakeFirst();
  const prev = Math.max(Number(m.readFloorSeq), Number(r?.lastReadSeq ?? 0));
  if (upTo <= prev) return prev;
  const c = await tx
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('discussionId', '=', d.id)
    .where('seq', '>', prev)
    .where('seq', '<=', upTo)
    .where('authorId', '<>', userId)
    .executeTakeFirstOrThrow();
  const n = Number(c.n) + (d.seq > prev && d.seq <= upTo && d.authorId !== userId ? 1 : 0);
  // Compare-and-set: when two requests read at once, only the one that moves the mark
  // subtracts, so the count is never decremented twice for the same items.
  const moved = r
    ? (await tx
        .updateTable('discussionReads')
        .set({ lastReadSeq: upTo, updatedAt: now })
        .where('userId', '=', userId)
        .where('discussionId', '=', d.id)
        .where('lastReadSeq', '=', Number(r.lastReadSeq))
        .returning('userId')
        .executeTakeFirst())
    : (await tx
        .insertInto('discussionReads')
        .values({ userId, discussionId: d.id, lastReadSeq: upTo, updatedAt: now })
        .onConflict((oc) => oc.columns(['userId', 'discussionId']).doNothing())
        .returning('userId')
        .executeTakeFirst());
  if (!moved) return prev;
  if (n > 0)
    await tx
      .updateTable('memberships')
      .set({ unreadCount: subtract(n) })
      .where('groupId', '=', d.groupId)
      .where('userId', '=', userId)
      .execute();
  return prev;
}

/**
 * A discussion disappears (soft delete): its unread items can no longer be opened, so each
 * member's count drops by what they had not read in it. One UPDATE for the whole group.
 */
export async function forgetUnread(tx: Tx, d: DiscussionRow): Promise<void> {
  const mark = sql`(CASE WHEN m.read_floor_seq > COALESCE((SELECT dr.last_read_seq FROM discussion_reads dr WHERE dr.user_id = m.user_id AND dr.discussion_id = ${d.id}), 0)
    THEN m.read_floor_seq ELSE COALESCE((SELECT dr.last_read_seq FROM discussion_reads dr WHERE dr.user_id = m.user_id AND dr.discussion_id = ${d.id}), 0) END)`;
  const unread = sql`((SELECT COUNT(*) FROM comments c WHERE c.discussion_id = ${d.id} AND c.author_id <> m.user_id AND c.seq > ${mark})
    + (CASE WHEN m.user_id <> ${d.authorId} AND ${sql.lit(d.seq)} > ${mark} THEN 1 ELSE 0 END))`;
  await sql`UPDATE memberships AS m SET unread_count = CASE WHEN m.unread_count > ${unread} THEN m.unread_count - ${unread} ELSE 0 END
    WHERE m.group_id = ${d.groupId}`.execute(tx);
}

/** "N new" for the rows of one page only: items above the reader's mark, not their own. */
export async function newCounts(db: Tx, actor: Actor, rows: { id: string; groupId: string; seq: number; lastSeq: number; authorId: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!isUser(actor) || rows.length === 0) return out;
  const me = actor.userId;
  const groupIds = [...new Set(rows.map((r) => r.groupId))].filter((g) => actor.roles.has(g));
  if (groupIds.length === 0) return out;
  const floors = new Map(
    (await db.selectFrom('memberships').select(['groupId', 'readFloorSeq']).where('userId', '=', me).where('groupId', 'in', groupIds).execute()).map((m) => [m.groupId, Number(m.readFloorSeq)]),
  );
  const mine = rows.filter((r) => floors.has(r.groupId));
  if (mine.length === 0) return out;
  const reads = new Map(
    (await db.selectFrom('discussionReads').select(['discussionId', 'lastReadSeq']).where('userId', '=', me).where('discussionId', 'in', mine.map((r) => r.id)).execute()).map((r) => [r.discussionId, Number(r.lastReadSeq)]),
  );
  const marks = new Map<string, number>();
  for (const r of mine) {
    const mark = Math.max(floors.get(r.groupId)!, reads.get(r.id) ?? 0);
    if (r.lastSeq <= mark) continue;
    marks.set(r.id, mark);
    out.set(r.id, r.seq > mark && r.authorId !== me ? 1 : 0);
  }
  if (marks.size === 0) return out;
  const counted = await db
    .selectFrom('comments')
    .select(['discussionId', (eb) => eb.fn.countAll<number>().as('n')])
    .where('authorId', '<>', me)
    .where((eb) => eb.or([...marks].map(([id, mark]) => eb.and([eb('discussionId', '=', id), eb('seq', '>', mark)]))))
    .groupBy('discussionId')
    .execute();
  for (const c of counted) out.set(c.discussionId, (out.get(c.discussionId) ?? 0) + Number(c.n));
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

export function createReads(deps: Deps) {
  const { db, clock } = deps;
  return {
    /** "Mark all as read" for one group: the floor moves to the group's last item, the count to 0. */
    async markAllRead(actor: Actor, raw: unknown): Promise<{ unreadCount: number }> {
      const input = parse(MarkAllReadInput, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      if (!isUser(actor)) return { unreadCount: 0 };
      await inTx(deps, async (tx) => {
        const fresh = await tx.selectFrom('groups').select('lastSeq').where('id', '=', g.id).executeTakeFirstOrThrow();
        const res = await tx
          .updateTable('memberships')
          .set({ readFloorSeq: Number(fresh.lastSeq), unreadCount: 0 })
          .where('groupId', '=', g.id)
          .where('userId', '=', actor.userId)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) > 0) await recordEvent(tx, { type: 'group.marked_read', groupId: g.id, actorId: actor.userId }, clock.now());
      });
      return { unreadCount: 0 };
    },
  };
}
