import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Visibility } from '../../db/schema';
import { isUuid, newId } from '../../kernel/ids';
import { notFound } from '../../kernel/errors';
import { can, authorize, type Actor, type GroupFacts } from '../../policy';

/** A chat room with the facts the policy needs. */
export type RoomRow = {
  id: string;
  kind: 'group' | 'direct';
  title: string;
  lastSeq: number;
  messageCount: number;
  lastActivityAt: string;
  group: (GroupFacts & { slug: string; name: string }) | null;
  participantIds: string[];
};

export type AuthorView = { id: string; name: string; handle: string };
/** What every listener sees of a message; carried whole in every event frame. */
export type MessageView = {
  id: string;
  roomId: string;
  seq: number;
  author: AuthorView;
  body: string;
  html: string;
  parentId: string | null;
  replyCount: number;
  reactions: Record<string, string[]>;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** Attachments (empty once the message is deleted); their URLs go through `files.open`. */
  files: ChatFileView[];
};
export type ChatFileView = { id: string; name: string; mime: string; size: number; isImage: boolean; url: string; previewUrl: string | null; width: number | null; height: number | null };
export type EventKind = 'message.posted' | 'message.edited' | 'message.deleted' | 'message.reacted';

/** One room with its group facts or participants, or null. No permission check. */
export async function findRoom(db: Tx, id: string): Promise<RoomRow | null> {
  if (!isUuid(id)) return null;
  const r = await db
    .selectFrom('chatRooms')
    .leftJoin('groups', 'groups.id', 'chatRooms.groupId')
    .select(['chatRooms.id', 'chatRooms.kind', 'chatRooms.title', 'chatRooms.lastSeq', 'chatRooms.messageCount', 'chatRooms.lastActivityAt', 'chatRooms.groupId'])
    .select(['groups.visibility', 'groups.parentId', 'groups.slug', 'groups.name'])
    .where('chatRooms.id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  const group = r.kind === 'group' && r.groupId ? { id: r.groupId, visibility: r.visibility as Visibility, parentId: r.parentId ?? null, slug: r.slug ?? '', name: r.name ?? '' } : null;
  const participantIds = r.kind === 'direct' ? (await db.selectFrom('chatParticipants').select('userId').where('roomId', '=', id).execute()).map((p) => p.userId) : [];
  return { id: r.id, kind: r.kind, title: r.title, lastSeq: r.lastSeq, messageCount: r.messageCount, lastActivityAt: r.lastActivityAt, group, participantIds };
}

/** The chat room of a group, created on first use (idempotent under concurrency). */
export async function ensureGroupRoom(db: Tx, groupId: string, createdBy: string, now: string): Promise<string> {
  const existing = await db.selectFrom('chatRooms').select('id').where('groupId', '=', groupId).executeTakeFirst();
  if (existing) return existing.id;
  await db
    .insertInto('chatRooms')
    .values({ id: newId(), kind: 'group', groupId, directKey: null, title: '', lastSeq: 0, messageCount: 0, createdBy, createdAt: now, lastActivityAt: now })
    .onConflict((oc) => oc.column('groupId').doNothing())
    .execute();
  const row = await db.selectFrom('chatRooms').select('id').where('groupId', '=', groupId).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Throws unless the actor may read (or post in) the room. Rooms the actor may not read
 * are reported as not found, like everything hidden.
 */
export function authorizeRoom(actor: Actor, room: RoomRow, what: 'read' | 'post'): void {
  if (room.group) {
    authorize(actor, what === 'read' ? 'chat.read' : 'chat.post', room.group);
    return;
  }
  if (!can(actor, what === 'read' ? 'dm.read' : 'dm.post', { participantIds: room.participantIds })) notFound();
}
export const canReadRoom = (actor: Actor, room: RoomRow) =>
  room.group ? can(actor, 'chat.read', room.group) : can(actor, 'dm.read', { participantIds: room.participantIds });
export const canPostRoom = (actor: Actor, room: RoomRow) =>
  room.group ? can(actor, 'chat.post', room.group) : can(actor, 'dm.post', { participantIds: room.participantIds });

export async function roomOr404(db: Tx, id: string): Promise<RoomRow> {
  return (await findRoom(db, id)) ?? notFound();
}

type MessageRow = {
  id: string; roomId: string; seq: number; authorId: string; body: string; bodyHtml: string; parentId: string | null;
  replyCount: number; createdAt: string; editedAt: string | null; deletedAt: string | null;
  authorName: string; authorHandle: string;
};

const messageCols = [
  'chatMessages.id', 'chatMessages.roomId', 'chatMessages.seq', 'chatMessages.authorId', 'chatMessages.body', 'chatMessages.bodyHtml',
  'chatMessages.parentId', 'chatMessages.replyCount', 'chatMessages.createdAt', 'chatMessages.editedAt', 'chatMessages.deletedAt',
  'users.name as authorName', 'users.handle as authorHandle',
] as const;

function messageQuery(db: Tx) {
  return db.selectFrom('chatMessages').innerJoin('users', 'users.id', 'chatMessages.authorId').select(messageCols);
}

/** Builds views for message rows, with their reactions in one query. */
async function toViews(db: Tx, rows: MessageRow[]): Promise<MessageView[]> {
  if (rows.length === 0) return [];
  const reactions = await db
    .selectFrom('reactions')
    .select(['targetId', 'emoji', 'userId'])
    .where('targetId', 'in', rows.map((r) => r.id))
    .orderBy('createdAt')
    .execute();
  const fileRows = await db
    .selectFrom('files')
    .select(['id', 'chatMessageId', 'name', 'mime', 'size', 'width', 'height', 'hasPreview'])
    .where('chatMessageId', 'in', rows.map((r) => r.id))
    .orderBy('id')
    .execute();
  const filesOf = new Map<string, ChatFileView[]>();
  for (const f of fileRows) {
    const list = filesOf.get(f.chatMessageId!) ?? [];
    list.push(chatFileView(f));
    filesOf.set(f.chatMessageId!, list);
  }
  const byMsg = new Map<string, Record<string, string[]>>();
  for (const r of reactions) {
    const m = byMsg.get(r.targetId) ?? {};
    (m[r.emoji] ??= []).push(r.userId);
    byMsg.set(r.targetId, m);
  }
  return rows.map((r) => ({
    id: r.id,
    roomId: r.roomId,
    seq: r.seq,
    author: { id: r.authorId, name: r.authorName, handle: r.authorHandle },
    body: r.deletedAt ? '' : r.body,
    html: r.deletedAt ? '' : r.bodyHtml,
    parentId: r.parentId,
    replyCount: r.replyCount,
    reactions: r.deletedAt ? {} : (byMsg.get(r.id) ?? {}),
    createdAt: r.createdAt,
    editedAt: r.editedAt,
    deletedAt: r.deletedAt,
    files: r.deletedAt ? [] : (filesOf.get(r.id) ?? []),
  }));
}

/** What a chat message shows of one attachment. */
export function chatFileView(f: { id: string; name: string; mime: string; size: number; width: number | null; height: number | null; hasPreview: number }): ChatFileView {
  return {
    id: f.id,
    name: f.name,
    mime: f.mime,
    size: Number(f.size),
    isImage: f.mime.startsWith('image/'),
    url: `/files/${f.id}`,
    previewUrl: f.hasPreview ? `/files/${f.id}/preview` : null,
    width: f.width,
    height: f.height,
  };
}

export async function messageView(db: Tx, id: string): Promise<MessageView | null> {
  if (!isUuid(id)) return null;
  const row = await messageQuery(db).where('chatMessages.id', '=', id).executeTakeFirst();
  return row ? (await toViews(db, [row as MessageRow]))[0] : null;
}

export async function messageByKey(db: Tx, authorId: string, key: string): Promise<MessageView | null> {
  const row = await messageQuery(db).where('chatMessages.authorId', '=', authorId).where('chatMessages.clientKey', '=', key).executeTakeFirst();
  return row ? (await toViews(db, [row as MessageRow]))[0] : null;
}

/** A page of messages by keyset on seq, returned oldest first. */
export async function messagesPage(db: Tx, roomId: string, opts: { before?: number; after?: number; limit: number }): Promise<MessageView[]> {
  let q = messageQuery(db).where('chatMessages.roomId', '=', roomId);
  if (opts.after !== undefined) {
    q = q.where('chatMessages.seq', '>', opts.after).orderBy('chatMessages.seq', 'asc');
    return toViews(db, (await q.limit(opts.limit).execute()) as MessageRow[]);
  }
  if (opts.before !== undefined) q = q.where('chatMessages.seq', '<', opts.before);
  const rows = (await q.orderBy('chatMessages.seq', 'desc').limit(opts.limit).execute()) as MessageRow[];
  return toViews(db, rows.reverse());
}

/**
 * Stored frames after a cursor, in order (what a reconnecting client missed). A frame holds
 * its message as it was when the event happened; a message deleted or edited since is
 * replayed as it is now, so a replay never serves text that was deleted or replaced.
 */
export async function eventsAfter(db: Tx, roomId: string, after: number, limit: number): Promise<{ seq: number; frame: string }[]> {
  const rows = await db.selectFrom('chatEvents').select(['seq', 'frame']).where('roomId', '=', roomId).where('seq', '>', after).orderBy('seq', 'asc').limit(limit).execute();
  if (rows.length === 0) return rows;
  const frames = rows.map((r) => JSON.parse(r.frame) as { message?: MessageView });
  const ids = [...new Set(frames.map((f) => f.message?.id).filter((id): id is string => !!id))];
  const changed = ids.length
    ? ((await messageQuery(db)
        .where('chatMessages.id', 'in', ids)
        .where((eb) => eb.or([eb('chatMessages.editedAt', 'is not', null), eb('chatMessages.deletedAt', 'is not', null)]))
        .execute()) as MessageRow[])
    : [];
  if (changed.length === 0) return rows;
  const now = new Map((await toViews(db, changed)).map((v) => [v.id, v]));
  return rows.map((r, i) => {
    const then = frames[i].message;
    const current = then ? now.get(then.id) : undefined;
    if (!then || !current || (then.editedAt === current.editedAt && then.deletedAt === current.deletedAt)) return r;
    const message: MessageView = current.deletedAt ? { ...then, body: '', html: '', files: [], reactions: {}, editedAt: current.editedAt, deletedAt: current.deletedAt } : { ...then, body: current.body, html: current.html, editedAt: current.editedAt };
    return { seq: r.seq, frame: JSON.stringify({ ...frames[i], message }) };
  });
}

/** Encodes an event frame once: the same bytes go live to every listener and into the log. */
export function encodeEvent(roomId: string, seq: number, kind: EventKind, message: MessageView): string {
  return JSON.stringify({ type: 'event', room: roomId, seq, kind, message });
}

/** Takes the room's next seq and stores the event frame, inside the caller's transaction. */
export async function appendEvent(tx: Tx, roomId: string, kind: EventKind, build: (seq: number) => MessageView, now: string, countMessage = false) {
  const upd = await tx
    .updateTable('chatRooms')
    .set((eb) => ({
      lastSeq: eb('lastSeq', '+', 1),
      ...(countMessage ? { messageCount: eb('messageCount', '+', 1), lastActivityAt: now } : {}),
    }))
    .where('id', '=', roomId)
    .returning(['lastSeq', 'messageCount'])
    .executeTakeFirstOrThrow();
  const seq = upd.lastSeq;
  const message = build(seq);
  const frame = encodeEvent(roomId, seq, kind, message);
  await tx.insertInto('chatEvents').values({ roomId, seq, kind, frame, createdAt: now }).execute();
  return { seq, frame, message, messageCount: upd.messageCount };
}

/** Moves a member's read cursor forward (never back). */
export async function advanceRead(tx: Tx, roomId: string, userId: string, seq: number, count: number, now: string) {
  await tx
    .insertInto('chatParticipants')
    .values({ roomId, userId, joinedAt: now, readSeq: seq, readCount: count })
    .onConflict((oc) =>
      oc.columns(['roomId', 'userId']).doUpdateSet({
        readSeq: sql<number>`CASE WHEN ${sql.ref('chatParticipants.readSeq')} > ${seq} THEN ${sql.ref('chatParticipants.readSeq')} ELSE ${seq} END`,
        readCount: sql<number>`CASE WHEN ${sql.ref('chatParticipants.readCount')} > ${count} THEN ${sql.ref('chatParticipants.readCount')} ELSE ${count} END`,
      }),
    )
    .execute();
}

