import fs from 'node:fs';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import { invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { isUuid, newId, type FileId } from '../../kernel/ids';
import { can, isUser, type Actor } from '../../policy';
import type { Database, FileRow, Visibility } from '../../db/schema';
import type { SelectQueryBuilder } from 'kysely';
import { canReadRoom, findRoom } from '../chat/chat.repo';

/** What pages and the API show of a stored file. */
export type FileView = {
  id: FileId;
  name: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  isImage: boolean;
  url: string;
  previewUrl: string | null;
  discussionId: string | null;
  commentId: string | null;
  /** The task comment it belongs to (null for a task's own files and for everything else). */
  taskCommentId?: string | null;
};

export type Purpose = 'attachment' | 'avatar' | 'cover';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);
/** Attachments members share in an association: images, PDFs, office documents, text, archives. */
const DOC_TYPES = new Set([
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword',
  'application/vnd.ms-excel',
]);
const EXT_TYPES: Record<string, string> = {
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', zip: 'application/zip',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet', odp: 'application/vnd.oasis.opendocument.presentation',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', doc: 'application/msword', xls: 'application/vnd.ms-excel',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif',
};
const IMAGE_MAX_BYTES = 8 * 1024 * 1024;
const SHARP_FORMAT_MIME: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' };

/** Uploads nothing references are kept this long before the sweep removes them. */
export const SWEEP_GRACE_MS = 86_400_000;
const SWEEP_BATCH = 500;

function removeQuietly(p: string) {
  try {
    fs.rmSync(p, { force: true });
  } catch {
    // Left for the next sweep.
  }
}

/**
 * Deletes the files chosen by `narrow` that nothing references: no discussion, comment or
 * chat message, no member's avatar, no group's cover. One statement, so a post linking one
 * of them at the same moment either wins and keeps it, or finds it gone and fails cleanly.
 * Returns the ids deleted.
 */
async function deleteUnlinked(db: Tx, narrow: (q: SelectQueryBuilder<Database, 'files', {}>) => SelectQueryBuilder<Database, 'files', {}>) {
  const unreferenced = (q: SelectQueryBuilder<Database, 'files', {}>) =>
    q
      .where('files.discussionId', 'is', null)
      .where('files.commentId', 'is', null)
      .where('files.chatMessageId', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.avatarFileId', '=', 'files.id'))))
      .where((eb) => eb.not(eb.exists(eb.selectFrom('groups').select('groups.id').whereRef('groups.coverFileId', '=', 'files.id'))));
  const chosen = unreferenced(narrow(db.selectFrom('files'))).select('files.id');
  return db
    .deleteFrom('files')
    .where('files.id', 'in', chosen)
    .where('files.discussionId', 'is', null)
    .where('files.commentId', 'is', null)
    .where('files.chatMessageId', 'is', null)
    .returning('files.id')
    .execute();
}

export type UploadInput = { file: File | Blob & { name?: string }; purpose: Purpose; groupId?: string | null };

/**
 * Links the owner's uploaded attachments that are not linked to anything yet (to a
 * discussion, a comment or a chat message), in the caller's transaction; any other id is
 * refused as unknown, so nobody can take over someone else's file.
 */
async function linkUploads(tx: Tx, fileIds: string[], ownerId: string, set: { groupId: string | null; discussionId?: string; commentId?: string | null; chatMessageId?: string; taskId?: string; taskCommentId?: string | null }) {
  const ids = [...new Set(fileIds)].filter(isUuid);
  if (ids.length === 0) return;
  if (ids.length > 20) invalidField('files', 'too_many_files', { max: 20 });
  const res = await tx
    .updateTable('files')
    .set(set)
    .where('id', 'in', ids)
    .where('ownerId', '=', ownerId)
    .where('purpose', '=', 'attachment')
    .where('discussionId', 'is', null)
    .where('chatMessageId', 'is', null)
    .where('taskId', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== ids.length) invalidField('files', 'file_unknown');
}

/**
 * Uploaded files: avatars and covers (resized, stored as WebP), attachments (any accepted
 * type, with a WebP preview for images). Content is checked by its bytes, not its name:
 * an "image" that sharp cannot decode is refused. Reading goes through the policy: an
 * attachment is readable exactly by those who may read its discussion.
 */
export function createFilesService(deps: Deps) {
  const { db, clock, config } = deps;
  const dir = path.join(config.dataDir, 'files');
  const pathOf = (id: string, variant: 'original' | 'preview') => path.join(dir, id.slice(-2), `${id}${variant === 'preview' ? '.preview.webp' : ''}`);

  const view = (f: FileRow): FileView => ({
    id: f.id as FileId,
    name: f.name,
    mime: f.mime,
    size: f.size,
    width: f.width,
    height: f.height,
    isImage: IMAGE_TYPES.has(f.mime),
    url: `/files/${f.id}`,
    previewUrl: f.hasPreview ? `/files/${f.id}/preview` : null,
    discussionId: f.discussionId,
    commentId: f.commentId,
    taskCommentId: f.taskCommentId ?? null,
  });

  /** Both stored variants of a file, if present. */
  const removeStored = (id: string) => {
    removeQuietly(pathOf(id, 'original'));
    removeQuietly(pathOf(id, 'preview'));
  };

  /** Files on disk older than `beforeMs` whose row does not exist, and leftover temporary files. */
  async function sweepStrays(beforeMs: number): Promise<number> {
    if (!fs.existsSync(dir)) return 0;
    let n = 0;
    for (const sub of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!sub.isDirectory()) continue;
      const subDir = path.join(dir, sub.name);
      const byId = new Map<string, string[]>();
      for (const name of fs.readdirSync(subDir)) {
        const p = path.join(subDir, name);
        const st = fs.statSync(p, { throwIfNoEntry: false });
        if (!st || st.mtimeMs >= beforeMs) continue;
        const id = name.split('.')[0];
        if (name.endsWith('.tmp') || !isUuid(id)) {
          removeQuietly(p);
          n++;
        } else byId.set(id, [...(byId.get(id) ?? []), p]);
      }
      const ids = [...byId.keys()];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const known = new Set((await db.selectFrom('files').select('id').where('id', 'in', chunk).execute()).map((r) => r.id));
        for (const id of chunk) if (!known.has(id)) for (const p of byId.get(id)!) (removeQuietly(p), n++);
      }
    }
    return n;
  }

  function writeAtomic(p: string, data: Buffer) {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, p);
  }

  return {
    /** Validates, processes and stores one upload; returns its view. Not yet linked to anything. */
    async upload(actor: Actor, input: UploadInput): Promise<FileView> {
      if (!isUser(actor)) return unauthenticated();
      const ownerId = actor.userId;
      const file = input.file;
      if (!file || typeof (file as Blob).arrayBuffer !== 'function' || file.size === 0) invalidField('file', 'required');
      const limit = input.purpose === 'attachment' ? config.maxUploadBytes : IMAGE_MAX_BYTES;
      if (file.size > limit) invalidField('file', 'file_too_big', { max: Math.round(limit / 1024 / 1024) });
      const rawName = ((file as File).name || 'file').replace(/[\\/\x00-\x1f]/g, '_').slice(-120);
      const buf = Buffer.from(await file.arrayBuffer());
      const id = newId<FileId>();
      let mime = (file.type || '').toLowerCase().split(';')[0];
      if (!mime || mime === 'application/octet-stream') mime = EXT_TYPES[rawName.split('.').pop()?.toLowerCase() ?? ''] ?? mime;
      let width: number | null = null;
      let height: number | null = null;
      let hasPreview = 0;
      let stored = buf;
      let name = rawName;

      // Whatever this upload wrote is removed if it ends in an error: no bytes without a row.
      const written: string[] = [];
      const write = (p: string, data: Buffer) => {
        written.push(p);
        writeAtomic(p, data);
      };
      try {
        if (input.purpose !== 'attachment' || IMAGE_TYPES.has(mime)) {
          let meta: Metadata;
          try {
            meta = await sharp(buf, { limitInputPixels: 50_000_000 }).metadata();
          } catch {
            return invalidField('file', 'file_type');
          }
          const real = SHARP_FORMAT_MIME[meta.format ?? ''];
          if (!real) invalidField('file', 'file_type');
          mime = real;
          if (input.purpose === 'avatar') {
            stored = await sharp(buf).rotate().resize(256, 256, { fit: 'cover' }).webp({ quality: 82 }).toBuffer();
            mime = 'image/webp';
            width = height = 256;
            name = 'avatar.webp';
          } else if (input.purpose === 'cover') {
            stored = await sharp(buf).rotate().resize(1200, 400, { fit: 'cover' }).webp({ quality: 80 }).toBuffer();
            mime = 'image/webp';
            width = 1200;
            height = 400;
            name = 'cover.webp';
          } else {
            const rotated = sharp(buf).rotate();
            const m2 = await rotated.metadata();
            width = m2.autoOrient?.width ?? meta.width ?? null;
            height = m2.autoOrient?.height ?? meta.height ?? null;
            const preview = await sharp(buf).rotate().resize({ width: 800, height: 800, fit: 'inside', withoutEnlargement: true }).webp({ quality: 78 }).toBuffer();
            write(pathOf(id, 'preview'), preview);
            hasPreview = 1;
          }
        } else if (!DOC_TYPES.has(mime)) {
          invalidField('file', 'file_type');
        }

        write(pathOf(id, 'original'), stored);
        await db
          .insertInto('files')
          .values({
            id,
            ownerId,
            purpose: input.purpose,
            groupId: input.groupId ?? null,
            discussionId: null,
            commentId: null,
            name,
            mime,
            size: stored.length,
            width,
            height,
            hasPreview,
            createdAt: clock.now().toISOString(),
          })
          .execute();
      } catch (e) {
        for (const p of written) removeQuietly(p);
        throw e;
      }
      return view((await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirstOrThrow()) as FileRow);
    },

    /**
     * Removes, rows and bytes, those of `ids` that are still linked to nothing: called after
     * a post that stored its uploads first, so a post that failed or was a repeat leaves no
     * orphan behind. Linked files (the post went through) are kept. Never throws: what it
     * cannot remove, the sweep removes later.
     */
    async dropUnlinked(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      try {
        const gone = await deleteUnlinked(db, (q) => q.where('files.id', 'in', ids));
        for (const f of gone) removeStored(f.id);
      } catch (e) {
        deps.log(`files: could not drop unlinked uploads: ${(e as Error).message}`);
      }
    },

    /**
     * The maintenance sweep: deletes the uploads nothing references any more, older than
     * `graceMs` (a day by default, so an upload made before its post is not taken away):
     * attachments linked to no discussion, comment or chat message, avatars no member
     * shows, covers no group shows; then bytes on disk that have no row (a crash between
     * writing and recording). Returns how many rows and stray files went.
     */
    async sweep(graceMs = SWEEP_GRACE_MS): Promise<{ rows: number; strays: number }> {
      const before = new Date(clock.now().getTime() - graceMs).toISOString();
      let rows = 0;
      for (;;) {
        const gone = await deleteUnlinked(db, (q) => q.where('files.createdAt', '<', before).orderBy('files.createdAt').limit(SWEEP_BATCH));
        for (const f of gone) removeStored(f.id);
        rows += gone.length;
        if (gone.length < SWEEP_BATCH) break;
      }
      return { rows, strays: await sweepStrays(Date.parse(before)) };
    },

    /**
     * Links uploaded attachments to a discussion or comment, inside the caller's transaction.
     * Only the owner's own, not-yet-linked attachments can be linked.
     */
    async attach(tx: Tx, fileIds: string[], target: { ownerId: string; groupId: string; discussionId: string; commentId?: string | null }) {
      await linkUploads(tx, fileIds, target.ownerId, { groupId: target.groupId, discussionId: target.discussionId, commentId: target.commentId ?? null });
    },

    /**
     * Links uploaded attachments to a chat message, inside the caller's transaction: the
     * owner's own attachments not linked to anything yet.
     */
    async attachChat(tx: Tx, fileIds: string[], target: { ownerId: string; groupId: string | null; messageId: string }) {
      await linkUploads(tx, fileIds, target.ownerId, { groupId: target.groupId, chatMessageId: target.messageId });
    },

    /**
     * Links uploaded attachments to a task or one of its comments, inside the caller's
     * transaction: the owner's own attachments not linked to anything yet.
     */
    async attachTask(tx: Tx, fileIds: string[], target: { ownerId: string; groupId: string; taskId: string; taskCommentId?: string | null }) {
      await linkUploads(tx, fileIds, target.ownerId, { groupId: target.groupId, taskId: target.taskId, taskCommentId: target.taskCommentId ?? null });
    },

    /** Every attachment of a task and its comments, oldest first. */
    async forTask(taskId: string): Promise<FileView[]> {
      const rows = await db.selectFrom('files').selectAll().where('taskId', '=', taskId).orderBy('id').execute();
      return rows.map((r) => view(r as FileRow));
    },

    /** Every attachment of a discussion and its comments, oldest first. */
    async forDiscussion(discussionId: string): Promise<FileView[]> {
      const rows = await db.selectFrom('files').selectAll().where('discussionId', '=', discussionId).orderBy('id').execute();
      return rows.map((r) => view(r as FileRow));
    },

    /**
     * Opens a file for download if the actor may read it. Avatars are visible to signed-in
     * members; covers follow `group.see`; attachments follow `discussion.read` of their
     * discussion (soft-deleted comments or discussions hide their files), chat attachments
     * follow the reading of their room (a deleted message hides them), task attachments follow
     * `task.read` (a deleted task or comment hides them); an attachment not
     * linked yet is readable by its owner only. Anything else: not found.
     */
    async open(actor: Actor, id: string, variant: 'original' | 'preview') {
      if (!isUuid(id)) notFound();
      const f = await db
        .selectFrom('files')
        .leftJoin('groups', 'groups.id', 'files.groupId')
        .leftJoin('discussions', 'discussions.id', 'files.discussionId')
        .leftJoin('comments', 'comments.id', 'files.commentId')
        .leftJoin('chatMessages', 'chatMessages.id', 'files.chatMessageId')
        .leftJoin('tasks', 'tasks.id', 'files.taskId')
        .leftJoin('taskComments', 'taskComments.id', 'files.taskCommentId')
        .selectAll('files')
        .select(['groups.visibility', 'groups.parentId', 'discussions.deletedAt as discussionDeletedAt', 'discussions.authorId as discussionAuthorId', 'discussions.lockedAt', 'comments.deletedAt as commentDeletedAt'])
        .select(['chatMessages.roomId as chatRoomId', 'chatMessages.deletedAt as chatDeletedAt'])
        .select(['tasks.authorId as taskAuthorId', 'tasks.deletedAt as taskDeletedAt', 'taskComments.deletedAt as taskCommentDeletedAt'])
        .where('files.id', '=', id)
        .executeTakeFirst();
      if (!f) return notFound();
      const group = f.groupId && f.visibility ? { id: f.groupId, visibility: f.visibility as Visibility, parentId: f.parentId ?? null } : null;
      let ok = false;
      if (f.purpose === 'avatar') ok = isUser(actor);
      else if (f.purpose === 'cover') ok = group ? can(actor, 'group.see', group) : isUser(actor) && actor.userId === f.ownerId;
      else if (f.chatMessageId) {
        // A chat attachment: exactly those who may read its room, while the message stands.
        const room = f.chatRoomId && !f.chatDeletedAt ? await findRoom(db, f.chatRoomId) : null;
        ok = !!room && canReadRoom(actor, room);
      } else if (f.taskId) {
        // A task's attachment: exactly those who may read the task, while it and its comment stand.
        ok = !!group && !f.taskDeletedAt && !f.taskCommentDeletedAt && f.taskAuthorId !== null && can(actor, 'task.read', { group, authorId: f.taskAuthorId ?? '', deletedAt: null });
      } else if (!f.discussionId) ok = isUser(actor) && actor.userId === f.ownerId;
      else
        ok =
          !!group &&
          !f.discussionDeletedAt &&
          !f.commentDeletedAt &&
          can(actor, 'discussion.read', { group, authorId: f.discussionAuthorId ?? '', lockedAt: f.lockedAt ?? null, deletedAt: null });
      if (!ok) notFound();
      if (variant === 'preview' && !f.hasPreview) notFound();
      const p = pathOf(f.id, variant);
      if (!fs.existsSync(p)) notFound();
      return {
        path: p,
        mime: variant === 'preview' ? 'image/webp' : f.mime,
        name: f.name,
        size: fs.statSync(p).size,
        /** Public-ish images may be cached by the browser; attachments stay private. */
        cache: f.purpose === 'attachment' ? 'private, max-age=3600' : 'private, max-age=86400',
      };
    },
  };
}
export type FilesService = ReturnType<typeof createFilesService>;
