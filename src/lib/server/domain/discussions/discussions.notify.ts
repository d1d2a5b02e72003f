import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../db/connect';
import type { RecordedEvent } from '../../kernel/events';
import { can, groupReadBy } from '../../policy';
import { excerptOf, type Announcement, type Candidate, type Notifiers, type SubjectVisibility } from '../notifications';
import { discussionFacts, findComment, findDiscussion, type DiscussionRow } from './discussions.repo';

const excerpt = (s: string) => excerptOf(s);
const threadSubject = (group: string, title: string) => `[${group}] ${title}`;

async function actorName(tx: Tx, id: string | null) {
  if (!id) return null;
  const u = await tx.selectFrom('users').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  return u ?? null;
}

/** Who took part in a discussion: its author and everyone who replied (one query). */
async function participants(tx: Tx, d: DiscussionRow): Promise<string[]> {
  const rows = await tx.selectFrom('comments').select('authorId').distinct().where('discussionId', '=', d.id).where('deletedAt', 'is', null).execute();
  return rows.map((r) => r.authorId);
}

const mentions = (ids: string[]): Candidate[] => ids.map((userId) => ({ userId, reason: 'mentioned' }));

function base(d: DiscussionRow, actor: { id: string; name: string } | null) {
  return {
    subject: { kind: 'discussion', id: d.id },
    groupId: d.groupId,
    mayRead: (a: Parameters<Announcement['mayRead']>[0]) => can(a, 'discussion.read', discussionFacts(d)),
    group: { slug: d.group.slug, name: d.group.name },
    actor,
  };
}

/**
 * Who hears of what happens in discussions, and why: a new discussion reaches those it
 * mentions and the members who want every message; a reply reaches those it mentions, the
 * discussion's author ("replied to your discussion"), everyone who took part, and the
 * members who want every message; an edit reaches only members newly mentioned.
 */
export const discussionNotifiers: Notifiers = {
  async 'discussion.started'(tx, e) {
    const d = await findDiscussion(tx, e.data.discussionId);
    if (!d || d.deletedAt) return null;
    const b = base(d, await actorName(tx, e.actorId));
    return {
      ...b,
      itemId: d.id,
      candidates: mentions(e.data.mentioned),
      everyMessageOf: d.groupId,
      data: {
        title: d.title,
        url: `/d/${d.id}`,
        summary: { key: 'notify.discussion_started', params: { name: b.actor?.name ?? '', title: d.title, group: d.group.name } },
        excerpt: excerpt(d.body),
        body: { text: d.body, html: d.bodyHtml },
        group: b.group,
        actor: b.actor,
        thread: { root: `d-${d.id}`, item: `d-${d.id}`, reply: false, subject: threadSubject(d.group.name, d.title) },
        replyTo: { kind: 'discussion', id: d.id },
      },
    };
  },

  async 'comment.posted'(tx, e) {
    const c = await findComment(tx, e.data.commentId);
    if (!c || c.deletedAt || c.discussion.deletedAt) return null;
    const d = c.discussion;
    const b = base(d, await actorName(tx, e.actorId));
    const took = await participants(tx, d);
    return {
      ...b,
      itemId: c.id,
      candidates: [...mentions(e.data.mentioned), { userId: d.authorId, reason: 'replied' }, ...took.map((userId): Candidate => ({ userId, reason: 'participant' }))],
      everyMessageOf: d.groupId,
      data: {
        title: d.title,
        url: `/d/${d.id}?comment=${c.id}#c-${c.id}`,
        summary: { key: 'notify.comment_posted', params: { name: b.actor?.name ?? '', title: d.title, group: d.group.name } },
        excerpt: excerpt(c.body),
        body: { text: c.body, html: c.bodyHtml },
        group: b.group,
        actor: b.actor,
        thread: { root: `d-${d.id}`, item: `c-${c.id}`, reply: true, subject: threadSubject(d.group.name, d.title) },
        replyTo: { kind: 'discussion', id: d.id },
      },
    };
  },

  'discussion.edited': (tx, e) => editedMention(tx, e.data.discussionId, null, e),
  'comment.edited': (tx, e) => editedMention(tx, e.data.discussionId, e.data.commentId, e),
};

/** An edit tells only the members it newly mentions (the pipeline never tells anyone twice). */
async function editedMention(tx: Tx, discussionId: string, commentId: string | null, e: RecordedEvent<'discussion.edited' | 'comment.edited'>): Promise<Announcement | null> {
  if (!e.data.mentioned.length) return null;
  const d = await findDiscussion(tx, discussionId);
  if (!d || d.deletedAt) return null;
  const c = commentId ? await findComment(tx, commentId) : null;
  if (commentId && (!c || c.deletedAt)) return null;
  const b = base(d, await actorName(tx, e.actorId));
  const body = c ?? d;
  return {
    ...b,
    itemId: c?.id ?? d.id,
    candidates: mentions(e.data.mentioned),
    data: {
      title: d.title,
      url: c ? `/d/${d.id}?comment=${c.id}#c-${c.id}` : `/d/${d.id}`,
      summary: { key: 'notify.mentioned', params: { name: b.actor?.name ?? '', title: d.title, group: d.group.name } },
      excerpt: excerpt(body.body),
      body: { text: body.body, html: body.bodyHtml },
      group: b.group,
      actor: b.actor,
      thread: { root: `d-${d.id}`, item: c ? `c-${c.id}` : `d-${d.id}`, reply: !!c, subject: threadSubject(d.group.name, d.title) },
      replyTo: { kind: 'discussion', id: d.id },
    },
  };
}

/** The inbox shows a discussion's notifications while the discussion (and the reply) exist and the member may read its group. */
export const discussionSubjects: SubjectVisibility = {
  discussion: (actor, subjectId, itemId) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM discussions sd JOIN groups sg ON sg.id = sd.group_id
      WHERE sd.id = ${subjectId} AND sd.deleted_at IS NULL AND ${groupReadBy(actor, null as never, 'sg.id', 'sg.visibility')})
      AND NOT EXISTS (SELECT 1 FROM comments sc WHERE sc.id = ${itemId} AND sc.deleted_at IS NOT NULL)`,
};
