import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Comment, Discussion, Visibility } from '../../db/schema';
import { notFound } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import type { DiscussionFacts, GroupFacts, ItemFacts } from '../../policy';
import { extractMentions, renderMarkdown } from '../../markdown';
import { prepared } from '../../db/prepared';

/** The group columns discussions need: policy facts plus what lists show. */
export type GroupRow = { id: string; slug: string; name: string; visibility: Visibility; parentId: string | null; lastSeq: number };
export type DiscussionRow = Discussion & { group: GroupRow };
export type CommentRow = Comment & { discussion: DiscussionRow };

const groupCols = ['groups.id', 'groups.slug', 'groups.name', 'groups.visibility', 'groups.parentId', 'groups.lastSeq'] as const;

export const groupFactsOf = (g: GroupRow): GroupFacts => ({ id: g.id, visibility: g.visibility, parentId: g.parentId });
export const discussionFacts = (d: DiscussionRow): DiscussionFacts => ({ group: groupFactsOf(d.group), authorId: d.authorId, lockedAt: d.lockedAt, deletedAt: d.deletedAt });
export const commentFacts = (c: CommentRow): ItemFacts => ({ discussion: discussionFacts(c.discussion), authorId: c.authorId, deletedAt: c.deletedAt });

/** One group by slug (no permission check: callers authorize). */
export async function findGroupBySlug(db: Tx, slug: string): Promise<GroupRow | null> {
  const row = await db.selectFrom('groups').select(groupCols).where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  return (row as GroupRow | undefined) ?? null;
}
export async function findGroupById(db: Tx, id: string): Promise<GroupRow | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom('groups').select(groupCols).where('id', '=', id).executeTakeFirst();
  return (row as GroupRow | undefined) ?? null;
}
export const groupBySlugOr404 = async (db: Tx, slug: string) => (await findGroupBySlug(db, slug)) ?? notFound();

// Read on every view of a discussion: compiled once.
const discussionById = prepared(['id'], (db, p: { id: string }) =>
  db
    .selectFrom('discussions')
    .innerJoin('groups', 'groups.id', 'discussions.groupId')
    .selectAll('discussions')
    .select(['groups.slug as gSlug', 'groups.name as gName', 'groups.visibility as gVisibility', 'groups.parentId as gParentId', 'groups.lastSeq as gLastSeq'])
    .where('discussions.id', '=', p.id),
);

/** One discussion with its group's facts, or null. */
export async function findDiscussion(db: Tx, id: string): Promise<DiscussionRow | null> {
  if (!isUuid(id)) return null;
  const row = await discussionById.first(db, { id });
  if (!row) return null;
  const { gSlug, gName, gVisibility, gParentId, gLastSeq, ...d } = row;
  return { ...d, group: { id: d.groupId, slug: gSlug, name: gName, visibility: gVisibility, parentId: gParentId, lastSeq: gLastSeq } };
}
export const discussionOr404 = async (db: Tx, id: string) => (await findDiscussion(db, id)) ?? notFound();

/** One comment with its discussion and group, or null. */
export async function findComment(db: Tx, id: string): Promise<CommentRow | null> {
  if (!isUuid(id)) return null;
  const c = await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) return null;
  const d = await findDiscussion(db, c.discussionId);
  return d ? { ...c, discussion: d } : null;
}
export const commentOr404 = async (db: Tx, id: string) => (await findComment(db, id)) ?? notFound();

/** Existing users among the `@handles` of a text (lower-case handle → id). */
export async function mentionedUsers(db: Tx, text: string): Promise<Map<string, string>> {
  const handles = extractMentions(text).slice(0, 50);
  if (handles.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'handle']).where('handle', 'in', handles).where('disabledAt', 'is', null).execute();
  return new Map(rows.map((r) => [r.handle, r.id]));
}

/**
 * Takes the next group-wide item number (for unread tracking) in the caller's transaction.
 * The UPDATE locks the group row on PostgreSQL, so concurrent posts get distinct numbers.
 */
export async function nextSeq(db: Tx, groupId: string, now: string): Promise<number> {
  const r = await db
    .updateTable('groups')
    .set((eb) => ({ lastSeq: eb('lastSeq', '+', 1), lastActivityAt: now }))
    .where('id', '=', groupId)
    .returning('lastSeq')
    .executeTakeFirstOrThrow();
  return Number(r.lastSeq);
}

/** `a > b ? a : b` in SQL that both engines understand (no GREATEST on SQLite). */
export const greatest = (a: ReturnType<typeof sql>, b: ReturnType<typeof sql>) => sql<number>`(CASE WHEN ${a} > ${b} THEN ${a} ELSE ${b} END)`;

/** Users by id → name and handle, for presenting authors. */
export async function usersById(db: Tx, ids: string[]): Promise<Map<string, { id: string; name: string; handle: string; avatarFileId: string | null }>> {
  const uniq = [...new Set(ids)];
  if (uniq.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name', 'handle', 'avatarFileId']).where('id', 'in', uniq).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Markdown to safe HTML, with `@handles` of existing members linked. */
export async function renderBody(db: Tx, body: string): Promise<string> {
  return renderMarkdown(body, { knownHandles: new Set((await mentionedUsers(db, body)).keys()) });
}
