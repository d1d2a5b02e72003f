import type { Tx } from '../../db/connect';
import { notFound } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import { markdownToText } from '../../markdown';
import { can, taskReadBy, type Actor } from '../../policy';
import { canReadRoom, findRoom } from '../chat/chat.repo';
import { discussionFacts, findComment, findDiscussion } from '../discussions/discussions.repo';
import type { ColumnPreset } from '../../db/schema';

export type OriginKind = 'discussion' | 'comment' | 'chat';
/** Where a task was made from, as the actor may see it. */
export type Origin = { kind: OriginKind; id: string; discussionId: string | null; groupId: string; title: string; url: string; text: string; authorHandle: string };

const firstLine = (s: string, n = 120) => {
  const line = markdownToText(s).split(/(?<=[.!?])\s/)[0] ?? '';
  return line.length > n ? `${line.slice(0, n - 1)}…` : line;
};

/**
 * A discussion, comment or chat message of `groupId` that the actor may read, as the origin
 * of a new task; "not found" otherwise (missing, deleted, hidden, or in another group).
 */
export async function resolveOrigin(db: Tx, actor: Actor, from: string, groupId: string): Promise<Origin> {
  const [kind, id] = from.split(':') as [OriginKind, string];
  if (!isUuid(id)) return notFound();
  if (kind === 'discussion') {
    const d = await findDiscussion(db, id);
    if (!d || d.deletedAt || d.groupId !== groupId || !can(actor, 'discussion.read', discussionFacts(d))) return notFound();
    const author = await db.selectFrom('users').select('handle').where('id', '=', d.authorId).executeTakeFirst();
    return { kind, id, discussionId: d.id, groupId, title: d.title, url: `/d/${d.id}`, text: d.body, authorHandle: author?.handle ?? '' };
  }
  if (kind === 'comment') {
    const c = await findComment(db, id);
    if (!c || c.deletedAt || c.discussion.deletedAt || c.groupId !== groupId || !can(actor, 'discussion.read', discussionFacts(c.discussion))) return notFound();
    const author = await db.selectFrom('users').select('handle').where('id', '=', c.authorId).executeTakeFirst();
    return { kind, id, discussionId: c.discussionId, groupId, title: firstLine(c.body) || c.discussion.title, url: `/d/${c.discussionId}?comment=${c.id}#c-${c.id}`, text: c.body, authorHandle: author?.handle ?? '' };
  }
  if (kind === 'chat') {
    const m = await db.selectFrom('chatMessages').innerJoin('users', 'users.id', 'chatMessages.authorId').select(['chatMessages.id', 'chatMessages.roomId', 'chatMessages.body', 'chatMessages.seq', 'chatMessages.deletedAt', 'users.handle']).where('chatMessages.id', '=', id).executeTakeFirst();
    const room = m && !m.deletedAt ? await findRoom(db, m.roomId) : null;
    if (!m || !room || !room.group || room.group.id !== groupId || !canReadRoom(actor, room)) return notFound();
    return { kind, id, discussionId: null, groupId, title: firstLine(m.body), url: `/groups/${room.group.slug}/chat?after=${Math.max(0, Number(m.seq) - 1)}#m-${m.id}`, text: m.body, authorHandle: m.handle };
  }
  return notFound();
}

/** What the new-task form starts from: a title and a description quoting the origin, linking back. */
export function prefillFrom(o: Origin): { title: string; description: string } {
  const quoted = o.text.split('\n').slice(0, 40).map((l) => `> ${l}`).join('\n');
  return { title: o.title.slice(0, 200), description: `${quoted}\n\n— @${o.authorHandle} ([↩](${o.url}))` };
}

/** A task as a small chip on what it was made from: its title and live status. */
export type TaskChip = { id: string; title: string; done: boolean; column: { name: string | null; preset: ColumnPreset | null }; url: string };

/**
 * The tasks made from any of `originIds` (discussions, comments, chat messages) that the
 * actor may read, by origin. Discussions also list the tasks made from their comments under
 * the discussion's id. Exported for the discussion and chat pages (one query).
 */
export async function taskChips(db: Tx, actor: Actor, originIds: string[]): Promise<Record<string, TaskChip[]>> {
  const ids = [...new Set(originIds.filter(isUuid))];
  const out: Record<string, TaskChip[]> = {};
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('tasks as t')
    .innerJoin('taskColumns as c', 'c.id', 't.columnId')
    .select(['t.id', 't.title', 't.completedAt', 't.originId', 't.originDiscussionId', 't.originKind', 'c.name', 'c.preset'])
    .where((eb) => eb.or([eb('t.originId', 'in', ids), eb('t.originDiscussionId', 'in', ids)]))
    .where(taskReadBy(actor, 't'))
    .orderBy('t.createdAt')
    .limit(500)
    .execute();
  for (const r of rows) {
    const chip: TaskChip = { id: r.id, title: r.title, done: r.completedAt !== null, column: { name: r.name, preset: r.preset as ColumnPreset | null }, url: `/tasks/${r.id}` };
    if (r.originId) (out[r.originId] ??= []).push(chip);
    if (r.originKind === 'comment' && r.originDiscussionId && r.originDiscussionId !== r.originId && ids.includes(r.originDiscussionId)) (out[r.originDiscussionId] ??= []).push(chip);
  }
  return out;
}
