import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { notFound, unauthenticated } from '../../kernel/errors';
import { newId, type UserId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, can, isUser, type Actor } from '../../policy';
import type { FilesService, FileView } from '../files/files.service';
import { formFiles, uploadAll } from '../discussions/attachments';
import { renderBody, usersById } from '../discussions/discussions.repo';
import { mentionedIds } from '../discussions/mentions';
import { reactionsFor } from '../discussions/reactions';
import { ReactInput } from '../discussions/schemas';
import type { ReactionView } from '../discussions/views';
import { indexItem, unindexItem } from '../discussions/search';
import { CommentInput, CommentRef } from './schemas';
import { findTask, readableTask, recordActivity, taskFacts, taskForChange, type TaskRow } from './tasks.repo';
import type { Person } from './views';

const CommentForm = CommentInput.extend({ files: formFiles });

export type TaskCommentView = {
  id: string;
  taskId: string;
  author: Person;
  body: string | null;
  bodyHtml: string | null;
  createdAt: string;
  deleted: boolean;
  reactions: ReactionView[];
  files: FileView[];
  can: { delete: boolean; react: boolean };
};

/** At most this many comments on one task page (the oldest first; the API pages). */
export const COMMENTS_PER_PAGE = 200;

/** A task's comments in order, with authors, reactions, attachments and what the actor may do. */
export async function loadComments(db: Tx, files: FilesService, actor: Actor, t: TaskRow): Promise<TaskCommentView[]> {
  const rows = await db.selectFrom('taskComments').selectAll().where('taskId', '=', t.id).orderBy('createdAt').orderBy('id').limit(COMMENTS_PER_PAGE).execute();
  const users = await usersById(db, rows.map((r) => r.authorId));
  const reactions = await reactionsFor(db, actor, rows.map((r) => r.id));
  const attached = (await files.forTask(t.id)).filter((f) => f.taskCommentId);
  const edit = can(actor, 'task.edit', taskFacts(t));
  return rows.map((c) => {
    const deleted = c.deletedAt !== null;
    const u = users.get(c.authorId);
    return {
      id: c.id,
      taskId: t.id,
      author: u ? { id: u.id as UserId, name: u.name, handle: u.handle, avatarFileId: u.avatarFileId } : { id: c.authorId as UserId, name: '?', handle: '', avatarFileId: null },
      body: deleted ? null : c.body,
      bodyHtml: deleted ? null : c.bodyHtml,
      createdAt: c.createdAt,
      deleted,
      reactions: deleted ? [] : (reactions.get(c.id) ?? []),
      files: deleted ? [] : attached.filter((f) => f.taskCommentId === c.id),
      can: { delete: can(actor, 'task.commentDelete', { task: taskFacts(t), authorId: c.authorId, deletedAt: c.deletedAt }), react: edit && !deleted },
    };
  });
}

/**
 * Comments on tasks, with mentions, attachments and reactions (the generic `reactions`
 * table, by comment id, with the discussions' palette). Members comment; the author or a
 * group admin deletes.
 */
export function createComments(deps: Deps, files: FilesService) {
  const { db, clock } = deps;
  return {
    /** Comments on a task (members), by page, by mail reply or through the API. */
    async comment(actor: Actor, raw: unknown): Promise<{ id: string; taskId: string }> {
      const input = parse(CommentForm, raw);
      const t0 = await readableTask(db, actor, input.taskId);
      authorize(actor, 'task.edit', taskFacts(t0));
      if (!isUser(actor)) return unauthenticated();
      const uploaded = await uploadAll(files, actor, input.files, t0.groupId);
      const id = newId();
      // Sent twice with the same key: the first comment, nothing written (and this try's uploads dropped).
      const first = await once(deps, { userId: actor.userId, key: input.key, scope: 'task_comment.create' }, async (tx) => {
        const t = await taskForChange(tx, deps.dialect, actor, input.taskId);
        const now = clock.now();
        const at = now.toISOString();
        await tx.insertInto('taskComments').values({ id, taskId: t.id, groupId: t.groupId, authorId: actor.userId, body: input.body, bodyHtml: await renderBody(tx, input.body), createdAt: at, editedAt: null, deletedAt: null, deletedBy: null }).execute();
        await tx.updateTable('tasks').set((eb) => ({ commentCount: eb('commentCount', '+', 1), updatedAt: at })).where('id', '=', t.id).execute();
        await files.attachTask(tx, [...input.fileIds, ...uploaded], { ownerId: actor.userId, groupId: t.groupId, taskId: t.id, taskCommentId: id });
        await indexItem(tx, { docId: id, kind: 'task_comment', groupId: t.groupId, discussionId: '', taskId: t.id, title: '', body: input.body, createdAt: at });
        await recordActivity(tx, t.id, actor.userId, 'comment', { commentId: id }, at);
        const mentioned = await mentionedIds(tx, input.body, actor.userId);
        await recordEvent(tx, { type: 'task.commented', groupId: t.groupId, actorId: actor.userId, data: { taskId: t.id, commentId: id, mentioned } }, now);
        return id;
      }).finally(() => files.dropUnlinked(uploaded));
      return { id: first, taskId: input.taskId };
    },

    /** A task's comments (API). */
    async comments(actor: Actor, raw: unknown): Promise<{ comments: TaskCommentView[] }> {
      const { taskId } = parse(CommentInput.pick({ taskId: true }), raw);
      const t = await readableTask(db, actor, taskId);
      return { comments: await loadComments(db, files, actor, t) };
    },

    /** Deletes a comment (its author or a group admin): its text, files and reactions are no longer served. */
    async removeComment(actor: Actor, raw: unknown): Promise<{ taskId: string }> {
      const { commentId } = parse(CommentRef, raw);
      return inTx(deps, async (tx) => {
        const c = (await tx.selectFrom('taskComments').selectAll().where('id', '=', commentId).executeTakeFirst()) ?? notFound();
        const t = (await findTask(tx, c.taskId)) ?? notFound();
        authorize(actor, 'task.read', taskFacts(t));
        authorize(actor, 'task.commentDelete', { task: taskFacts(t), authorId: c.authorId, deletedAt: c.deletedAt });
        const now = clock.now();
        const by = isUser(actor) ? actor.userId : null;
        await tx.updateTable('taskComments').set({ deletedAt: now.toISOString(), deletedBy: by }).where('id', '=', c.id).execute();
        await tx.updateTable('tasks').set((eb) => ({ commentCount: eb('commentCount', '-', 1) })).where('id', '=', t.id).where('commentCount', '>', 0).execute();
        await unindexItem(tx, c.id);
        await recordEvent(tx, { type: 'task.comment_deleted', groupId: t.groupId, actorId: by, data: { taskId: t.id, commentId: c.id } }, now);
        return { taskId: t.id };
      });
    },

    /** Adds the actor's reaction to a task comment, or removes it when present (a toggle). */
    async react(actor: Actor, raw: unknown): Promise<{ targetId: string; taskId: string; added: boolean; reactions: ReactionView[] }> {
      const input = parse(ReactInput, raw);
      if (!isUser(actor)) return unauthenticated();
      return inTx(deps, async (tx) => {
        const c = (await tx.selectFrom('taskComments').select(['id', 'taskId', 'deletedAt']).where('id', '=', input.targetId).executeTakeFirst()) ?? notFound();
        const t = await taskForChange(tx, deps.dialect, actor, c.taskId);
        if (c.deletedAt) return notFound();
        const key = { targetId: c.id, userId: actor.userId, emoji: input.emoji };
        const had = await tx.selectFrom('reactions').select('emoji').where('targetId', '=', key.targetId).where('userId', '=', key.userId).where('emoji', '=', key.emoji).executeTakeFirst();
        const now = clock.now();
        if (had) await tx.deleteFrom('reactions').where('targetId', '=', key.targetId).where('userId', '=', key.userId).where('emoji', '=', key.emoji).execute();
        else await tx.insertInto('reactions').values({ ...key, createdAt: now.toISOString() }).execute();
        await recordEvent(tx, { type: 'task.reacted', groupId: t.groupId, actorId: actor.userId, data: { taskId: t.id, targetId: c.id, emoji: input.emoji } }, now);
        return { targetId: c.id, taskId: t.id, added: !had, reactions: (await reactionsFor(tx, actor, [c.id])).get(c.id) ?? [] };
      });
    },
  };
}
