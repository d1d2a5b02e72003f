import type { Tx } from '../../db/connect';
import type { Comment } from '../../db/schema';
import { inTx, type Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { notFound, unauthenticated } from '../../kernel/errors';
import { newId, type CommentId } from '../../kernel/ids';
import { parse } from '../../kernel/validate';
import { recordEvent } from '../../kernel/outbox';
import { authorize, can, isUser, type Actor } from '../../policy';
import type { FilesService } from '../files/files.service';
import { formFiles, uploadAll } from './attachments';
import { commentFacts, commentOr404, discussionFacts, discussionOr404, nextSeq, renderBody, usersById, type CommentRow, type DiscussionRow } from './discussions.repo';
import { dropDraft } from './drafts';
import { mentionedIds } from './mentions';
import { excerptOf, reviseNotices } from '../notifications';
import { reactionsFor } from './reactions';
import { countPosted } from './reads';
import { CommentRef, EditCommentInput, ReplyInput } from './schemas';
import { indexItem, unindexItem } from './search';
import { presentComment, type CommentView } from './views';
import { prepared } from '../../db/prepared';

const ReplyForm = ReplyInput.extend({ files: formFiles });
export type ThreadComment = CommentView & { can: { edit: boolean; delete: boolean; react: boolean } };


/** Which replies a page shows: from a seq on, or the ones before a seq, or the last ones. */
export type ThreadWindow = { from: number } | { before: number } | { last: true } | { all: true };

/** How many replies one discussion page shows: light enough for a cheap phone on a slow network. */
export const REPLIES_PER_PAGE = 50;

// The default window of a discussion page (the latest replies) and its paging checks, read
// on every view: compiled once.
const latestComments = prepared(['discussionId', 'n'], (db, p: { discussionId: string; n: number }) =>
  db.selectFrom('comments').selectAll().where('discussionId', '=', p.discussionId).orderBy('seq', 'desc').limit(p.n),
);
const commentBefore = prepared(['discussionId', 'seq'], (db, p: { discussionId: string; seq: number }) =>
  db.selectFrom('comments').select('id').where('discussionId', '=', p.discussionId).where('seq', '<', p.seq).limit(1),
);
const commentAfter = prepared(['discussionId', 'seq'], (db, p: { discussionId: string; seq: number }) =>
  db.selectFrom('comments').select('id').where('discussionId', '=', p.discussionId).where('seq', '>', p.seq).limit(1),
);

/**
 * The comments of a discussion in order, with authors, reactions, files and abilities — a
 * window of at most `REPLIES_PER_PAGE` (or up to 2,000 for `all`), and whether replies exist
 * before and after it.
 */
export async function loadThread(
  db: Tx,
  files: FilesService,
  actor: Actor,
  d: DiscussionRow,
  window: ThreadWindow = { all: true },
): Promise<{ comments: ThreadComment[]; raw: Comment[]; hasEarlier: boolean; hasLater: boolean }> {
  const base = () => db.selectFrom('comments').selectAll().where('discussionId', '=', d.id);
  const n = REPLIES_PER_PAGE;
  let raw: Comment[];
  if ('all' in window) raw = await base().orderBy('seq').limit(2000).execute();
  else if ('from' in window) raw = await base().where('seq', '>=', window.from).orderBy('seq').limit(n).execute();
  else if ('before' in window) raw = (await base().where('seq', '<', window.before).orderBy('seq', 'desc').limit(n).execute()).reverse();
  else raw = (await latestComments.execute(db, { discussionId: d.id, n })).reverse();
  const first = raw[0];
  const last = raw[raw.length - 1];
  const exists = async (op: '<' | '>', seq: number) => !!(await (op === '<' ? commentBefore : commentAfter).first(db, { discussionId: d.id, seq }));
  const hasEarlier = 'all' in window ? false : first ? await exists('<', Number(first.seq)) : 'before' in window;
  const hasLater = 'all' in window ? false : last ? await exists('>', Number(last.seq)) : false;
  const users = await usersById(db, raw.map((c) => c.authorId));
  const reactions = await reactionsFor(db, actor, raw.map((c) => c.id));
  const shown = new Set(raw.map((c) => c.id));
  const all = (await files.forDiscussion(d.id)).filter((f) => f.commentId && shown.has(f.commentId));
  const comments = raw.map((c) => {
    const facts = commentFacts({ ...c, discussion: d });
    return {
      ...presentComment(c, users, reactions.get(c.id) ?? [], all.filter((f) => f.commentId === c.id)),
      can: { edit: can(actor, 'comment.edit', facts), delete: can(actor, 'comment.delete', facts), react: can(actor, 'comment.react', facts) },
    };
  });
  return { comments, raw, hasEarlier, hasLater };
}

async function commentView(db: Tx, files: FilesService, actor: Actor, c: CommentRow): Promise<CommentView> {
  const users = await usersById(db, [c.authorId]);
  const reactions = (await reactionsFor(db, actor, [c.id])).get(c.id) ?? [];
  const all = c.deletedAt ? [] : (await files.forDiscussion(c.discussionId)).filter((f) => f.commentId === c.id);
  return presentComment(c, users, reactions, all);
}

export function createComments(deps: Deps, files: FilesService) {
  const { db, clock } = deps;
  return {
    /**
     * Adds a comment to a discussion (members, unless locked): takes the group's next seq,
     * counts it unread for every other member, indexes it and notifies mentions.
     */
    async reply(actor: Actor, raw: unknown): Promise<CommentView> {
      const input = parse(ReplyForm, raw);
      const d0 = await discussionOr404(db, input.discussionId);
      authorize(actor, 'discussion.read', discussionFacts(d0));
      authorize(actor, 'discussion.reply', discussionFacts(d0));
      if (!isUser(actor)) return unauthenticated();
      const uploaded = await uploadAll(files, actor, input.files, d0.groupId);
      const id = newId<CommentId>();
      // Sent twice with the same key: the first comment, nothing written (and this try's uploads dropped).
      const first = await once(deps, { userId: actor.userId, key: input.key, scope: 'comment.create' }, async (tx) => {
        const d = await discussionOr404(tx, input.discussionId);
        authorize(actor, 'discussion.reply', discussionFacts(d));
        const now = clock.now().toISOString();
        const seq = await nextSeq(tx, d.groupId, now);
        const bodyHtml = await renderBody(tx, input.body);
        await tx
          .insertInto('comments')
          .values({ id, discussionId: d.id, groupId: d.groupId, authorId: actor.userId, body: input.body, bodyHtml, seq, createdAt: now, editedAt: null, deletedAt: null, deletedBy: null })
          .execute();
        await tx
          .updateTable('discussions')
          .set((eb) => ({ commentCount: eb('commentCount', '+', 1), lastSeq: seq, lastActivityAt: now }))
          .where('id', '=', d.id)
          .execute();
        await countPosted(tx, d.groupId, actor.userId);
        await files.attach(tx, [...input.fileIds, ...uploaded], { ownerId: actor.userId, groupId: d.groupId, discussionId: d.id, commentId: id });
        await indexItem(tx, { docId: id, kind: 'comment', groupId: d.groupId, discussionId: d.id, title: '', body: input.body, createdAt: now });
        const mentioned = await mentionedIds(tx, input.body, actor.userId);
        await dropDraft(tx, actor.userId, `comment:${d.id}`);
        await recordEvent(tx, { type: 'comment.posted', groupId: d.groupId, actorId: actor.userId, data: { discussionId: d.id, commentId: id, seq, mentioned } }, clock.now());
        return id;
      }).finally(() => files.dropUnlinked(uploaded));
      return commentView(db, files, actor, await commentOr404(db, first));
    },

    /** One comment (API). */
    async getComment(actor: Actor, raw: unknown): Promise<CommentView> {
      const { commentId } = parse(CommentRef, raw);
      const c = await commentOr404(db, commentId);
      authorize(actor, 'discussion.read', discussionFacts(c.discussion));
      if (c.discussion.deletedAt) return notFound();
      return commentView(db, files, actor, c);
    },

    /** The author edits a comment; it then shows "edited". New mentions are notified once. */
    async editComment(actor: Actor, raw: unknown): Promise<CommentView> {
      const input = parse(EditCommentInput, raw);
      await inTx(deps, async (tx) => {
        const c = await commentOr404(tx, input.commentId);
        authorize(actor, 'discussion.read', discussionFacts(c.discussion));
        authorize(actor, 'comment.edit', commentFacts(c));
        const now = clock.now().toISOString();
        const bodyHtml = await renderBody(tx, input.body);
        await tx.updateTable('comments').set({ body: input.body, bodyHtml, editedAt: now }).where('id', '=', c.id).execute();
        await reviseNotices(tx, { itemId: c.id }, { excerpt: excerptOf(input.body), body: { text: input.body, html: bodyHtml } });
        await indexItem(tx, { docId: c.id, kind: 'comment', groupId: c.groupId, discussionId: c.discussionId, title: '', body: input.body, createdAt: c.createdAt });
        const mentioned = await mentionedIds(tx, input.body, c.authorId);
        await recordEvent(tx, { type: 'comment.edited', groupId: c.groupId, actorId: c.authorId, data: { discussionId: c.discussionId, commentId: c.id, mentioned } }, clock.now());
      });
      return commentView(db, files, actor, await commentOr404(db, input.commentId));
    },

    /** Soft delete by the author or a moderator: shown as "comment deleted", text no longer served. */
    async removeComment(actor: Actor, raw: unknown): Promise<{ ok: true; discussionId: string }> {
      const { commentId } = parse(CommentRef, raw);
      return inTx(deps, async (tx) => {
        const c = await commentOr404(tx, commentId);
        authorize(actor, 'discussion.read', discussionFacts(c.discussion));
        authorize(actor, 'comment.delete', commentFacts(c));
        const now = clock.now().toISOString();
        const by = isUser(actor) ? actor.userId : null;
        await tx.updateTable('comments').set({ deletedAt: now, deletedBy: by }).where('id', '=', c.id).execute();
        await tx
          .updateTable('discussions')
          .set((eb) => ({ commentCount: eb('commentCount', '-', 1) }))
          .where('id', '=', c.discussionId)
          .where('commentCount', '>', 0)
          .execute();
        await unindexItem(tx, c.id);
        await recordEvent(tx, { type: 'comment.deleted', groupId: c.groupId, actorId: by, data: { discussionId: c.discussionId, commentId: c.id } }, clock.now());
        return { ok: true as const, discussionId: c.discussionId };
      });
    },
  };
}
