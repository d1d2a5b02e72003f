import type { Tx } from '../../db/connect';
import type { ExpressionBuilder, Selectable } from 'kysely';
import type { CalendarEventsTable, Database, PollsTable, Visibility } from '../../db/schema';
import { notFound } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import type { EventFacts, GroupFacts, PollFacts } from '../../policy';
import { renderMarkdown } from '../../markdown';

/** The group columns deciding needs: policy facts and what pages show. */
export type GroupRow = { id: string; slug: string; name: string; visibility: Visibility; parentId: string | null; guestPolls: number };
export type PollRow = Selectable<PollsTable> & { group: GroupRow };
export type EventRow = Selectable<CalendarEventsTable> & { group: GroupRow };

const groupCols = ['groups.id', 'groups.slug', 'groups.name', 'groups.visibility', 'groups.parentId', 'groups.guestPolls'] as const;
export const groupFactsOf = (g: GroupRow): GroupFacts => ({ id: g.id, visibility: g.visibility, parentId: g.parentId });

/** Closed by hand, or past its deadline. */
export const isClosed = (p: { closedAt: string | null; deadlineAt: string | null }, now: Date) => !!p.closedAt || (!!p.deadlineAt && p.deadlineAt <= now.toISOString());
export const pollFacts = (p: PollRow, now: Date): PollFacts => ({ group: groupFactsOf(p.group), authorId: p.authorId, closed: isClosed(p, now), deletedAt: p.deletedAt });
export const eventFacts = (e: EventRow): EventFacts => ({ group: groupFactsOf(e.group), authorId: e.authorId, cancelled: e.status === 'cancelled' });

/** One group by slug (no permission check: callers authorize). */
export async function findGroupBySlug(db: Tx, slug: string): Promise<GroupRow | null> {
  const row = await db.selectFrom('groups').select(groupCols).where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  return row ? ({ ...row, guestPolls: Number(row.guestPolls ?? 0) } as GroupRow) : null;
}
export const groupBySlugOr404 = async (db: Tx, slug: string) => (await findGroupBySlug(db, slug)) ?? notFound();

/** The group's columns selected beside a poll or an event (joined as `groups`), and the row with its group put together. */
export const joinedGroupCols = ['groups.slug as gSlug', 'groups.name as gName', 'groups.visibility as gVisibility', 'groups.parentId as gParentId', 'groups.guestPolls as gGuestPolls'] as const;
type JoinedGroup = { groupId: string; gSlug: string; gName: string; gVisibility: GroupRow['visibility']; gParentId: string | null; gGuestPolls?: number | null };
export function withGroup<R extends JoinedGroup>(row: R) {
  const { gSlug, gName, gVisibility, gParentId, gGuestPolls, ...rest } = row;
  return { ...rest, group: { id: rest.groupId, slug: gSlug, name: gName, visibility: gVisibility, parentId: gParentId, guestPolls: Number(gGuestPolls ?? 0) } };
}

/** One poll with its group, or null. */
export async function findPoll(db: Tx, id: string): Promise<PollRow | null> {
  if (!isUuid(id)) return null;
  const row = await db
    .selectFrom('polls')
    .innerJoin('groups', 'groups.id', 'polls.groupId')
    .selectAll('polls')
    .select(joinedGroupCols)
    .where('polls.id', '=', id)
    .executeTakeFirst();
  return row ? withGroup(row) : null;
}
/** A poll that exists and is not deleted, or "not found". */
export const pollOr404 = async (db: Tx, id: string) => {
  const p = await findPoll(db, id);
  return p && !p.deletedAt ? p : notFound();
};

/** One event with its group, or null. */
export async function findEvent(db: Tx, id: string): Promise<EventRow | null> {
  if (!isUuid(id)) return null;
  const row = await db
    .selectFrom('calendarEvents')
    .innerJoin('groups', 'groups.id', 'calendarEvents.groupId')
    .selectAll('calendarEvents')
    .select(joinedGroupCols)
    .where('calendarEvents.id', '=', id)
    .executeTakeFirst();
  return row ? withGroup(row) : null;
}
export const eventOr404 = async (db: Tx, id: string) => (await findEvent(db, id)) ?? notFound();

/** Users by id → name and handle, for presenting people. */
export async function usersById(db: Tx, ids: (string | null | undefined)[]): Promise<Map<string, { id: string; name: string; handle: string; avatarFileId: string | null }>> {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  if (uniq.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'handle', 'avatarFileId']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** The group's members (ids), for notices to everyone in it. */
export async function memberIds(db: Tx, groupId: string): Promise<string[]> {
  return (await db.selectFrom('memberships').select('userId').where('groupId', '=', groupId).execute()).map((r) => r.userId);
}

/** Markdown to safe HTML, as discussions render it (raw HTML off, sanitized). */
export const markdown = (s: string) => (s.trim() ? renderMarkdown(s) : '');

/**
 * Whether `userId` has answered the poll joined as `p` (a date poll's participant, a choice
 * poll's voter, a proposal's position), for queries that list what still waits for a member.
 */
export function answeredBy(eb: ExpressionBuilder<Database & { p: PollsTable }, 'p'>, userId: string) {
  return eb.or([
    eb.exists(eb.selectFrom('pollParticipants as pp').select('pp.pollId').whereRef('pp.pollId', '=', 'p.id').where('pp.userId', '=', userId)),
    eb.exists(eb.selectFrom('pollVoters as pv').select('pv.pollId').whereRef('pv.pollId', '=', 'p.id').where('pv.userId', '=', userId)),
    eb.exists(eb.selectFrom('pollResponses as pr').select('pr.pollId').whereRef('pr.pollId', '=', 'p.id').where('pr.userId', '=', userId)),
  ]);
}
