import type { Deps } from '../../kernel/deps';
import { inTx } from '../../kernel/deps';
import { invalidField, notFound, forbidden, unauthenticated } from '../../kernel/errors';
import { newId, type UserId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { renderMarkdown, extractMentions } from '../../markdown';
import { can, isUser, type Actor } from '../../policy';
import { createSessions } from '../accounts/sessions';
import { canReadRoom, canPostRoom, authorizeRoom, appendEvent, advanceRead, chatFileView, messageByKey, messageView, roomOr404, eventsAfter, type MessageView, type RoomRow, type EventKind } from './chat.repo';
import { createFilesService } from '../files/files.service';
import { uploadAll } from '../discussions/attachments';
import { EditInput, EventsInput, MessageInput, ReactInput, ReadInput, RoomInput, SendInput, ToDiscussionInput } from './schemas';
import { createDiscussionsService } from '../discussions/discussions.service';
import { createChatQueries } from './chat.queries';
import { excerptOf, markRead as markNoticesRead, reviseNotices } from '../notifications';

export type { MessageView, RoomRow } from './chat.repo';
export { MAX_MESSAGE_CHARS } from './schemas';

/** Where committed chat events go (the realtime hub): called only after the commit. */
export type ChatPublisher = {
  event(roomId: string, seq: number, frame: string): void;
  /** A direct conversation has a new message: its other participants' pages recount their unread chats. */
  direct?(userIds: string[], roomId: string): void;
};
export type SendResult = { message: MessageView; seq: number; duplicate: boolean };

const isUniqueViolation = (e: unknown) => {
  const c = (e as { code?: string })?.code ?? '';
  return c === '23505' || c.startsWith('SQLITE_CONSTRAINT');
};

/**
 * Chat in group rooms and direct conversations. The page form, the JSON API and the
 * WebSocket all call these functions; each write takes the room's next seq and stores
 * the encoded event frame in the same transaction, then publishes that frame after commit.
 */
export function createChatService(deps: Deps, publisher: ChatPublisher = { event() {} }) {
  const { db, clock } = deps;
  const sessions = createSessions(deps);
  const files = createFilesService(deps);
  let discussions: ReturnType<typeof createDiscussionsService> | null = null;

  /** Mentioned members who may read the room (checked per recipient with the policy). */
  async function mentionRecipients(room: RoomRow, body: string, authorId: string) {
    const handles = extractMentions(body).slice(0, 20);
    if (handles.length === 0) return { ids: [] as string[], known: new Set<string>() };
    const users = await db.selectFrom('users').select(['id', 'handle']).where('handle', 'in', handles).where('disabledAt', 'is', null).execute();
    const ids: string[] = [];
    for (const u of users) {
      if (u.id === authorId) continue;
      if (canReadRoom(await sessions.actorFor(u.id as UserId), room)) ids.push(u.id);
    }
    return { ids, known: new Set(users.map((u) => u.handle)) };
  }

  const eventTypes = { 'message.posted': 'chat.message_posted', 'message.edited': 'chat.message_edited', 'message.deleted': 'chat.message_deleted', 'message.reacted': 'chat.message_reacted' } as const;

  async function commitEvent(actor: Actor, room: RoomRow, kind: Exclude<EventKind, 'message.posted'>, msgId: string, write: (tx: Parameters<Parameters<typeof inTx>[1]>[0], now: string) => Promise<void>, mentioned?: string[]) {
    const now = clock.now().toISOString();
    const out = await inTx(deps, async (tx) => {
      await write(tx, now);
      const view = (await messageView(tx, msgId))!;
      const ev = await appendEvent(tx, room.id, kind, (seq) => ({ ...view, seq: view.seq }), now);
      await recordEvent(tx, { type: eventTypes[kind], groupId: room.group?.id ?? null, actorId: isUser(actor) ? actor.userId : null, data: { roomId: room.id, messageId: msgId, seq: ev.seq, ...(mentioned ? { mentioned } : {}) } }, clock.now());
      return ev;
    });
    publisher.event(room.id, out.seq, out.frame);
    return { message: out.message, seq: out.seq };
  }

  async function ownMessage(actor: Actor, raw: unknown) {
    if (!isUser(actor)) unauthenticated();
    const m = (await messageView(db, parse(MessageInput, raw).messageId)) ?? notFound();
    const room = await roomOr404(db, m.roomId);
    authorizeRoom(actor, room, 'read');
    return { m, room, userId: (actor as { userId: string }).userId };
  }

  return {
    ...createChatQueries(deps),

    /**
     * Posts a message. The client's key makes it idempotent: a resend after a lost ack
     * returns the first message (`duplicate: true`) and writes nothing.
     */
    async send(actor: Actor, raw: unknown): Promise<SendResult> {
      const input = parse(SendInput, raw);
      if (!isUser(actor)) return unauthenticated();
      const room = await roomOr404(db, input.roomId);
      authorizeRoom(actor, room, 'post');
      const dup = await messageByKey(db, actor.userId, input.key);
      if (dup) return dup.roomId === room.id ? { message: dup, seq: dup.seq, duplicate: true } : invalidField('key', 'bad_key');
      let parentId: string | null = null;
      if (input.parentId) {
        const p = await messageView(db, input.parentId);
        if (!p || p.roomId !== room.id || p.deletedAt) invalidField('parentId', 'not_found');
        parentId = p!.parentId ?? p!.id; // threads are one level deep
      }
      if (!input.body && input.files.length === 0) invalidField('body', 'required');
      // Files are stored before the transaction (after the checks above) and linked inside it.
      const fileIds = input.files.length ? await uploadAll(files, actor, input.files, room.group?.id ?? null) : [];
      const author = await db.selectFrom('users').select(['id', 'name', 'handle']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
      const mentions = await mentionRecipients(room, input.body, actor.userId);
      const html = renderMarkdown(input.body, { knownHandles: mentions.known });
      const now = clock.now().toISOString();
      const id = newId();
      try {
        const out = await inTx(deps, async (tx) => {
          await files.attachChat(tx, fileIds, { ownerId: actor.userId, groupId: room.group?.id ?? null, messageId: id });
          const attached = fileIds.length
            ? (await tx.selectFrom('files').select(['id', 'name', 'mime', 'size', 'width', 'height', 'hasPreview']).where('chatMessageId', '=', id).orderBy('id').execute()).map(chatFileView)
            : [];
          const ev = await appendEvent(
            tx,
            room.id,
            'message.posted',
            (seq) => ({ id, roomId: room.id, seq, author, body: input.body, html, parentId, replyCount: 0, reactions: {}, createdAt: now, editedAt: null, deletedAt: null, files: attached }),
            now,
            true,
          );
          await tx
            .insertInto('chatMessages')
            .values({ id, roomId: room.id, authorId: actor.userId, clientKey: input.key, parentId, body: input.body, bodyHtml: html, seq: ev.seq, replyCount: 0, createdAt: now, editedAt: null, deletedAt: null, deletedBy: null })
            .execute();
          if (parentId) await tx.updateTable('chatMessages').set((eb) => ({ replyCount: eb('replyCount', '+', 1) })).where('id', '=', parentId).execute();
          // One's own message is read: sending moves the sender's cursor.
          await advanceRead(tx, room.id, actor.userId, ev.seq, ev.messageCount, now);
          await recordEvent(tx, { type: 'chat.message_posted', groupId: room.group?.id ?? null, actorId: actor.userId, data: { roomId: room.id, messageId: id, seq: ev.seq, mentioned: mentions.ids } }, clock.now());
          return ev;
        });
        publisher.event(room.id, out.seq, out.frame);
        if (room.kind === 'direct') publisher.direct?.(room.participantIds.filter((p) => p !== actor.userId), room.id);
        return { message: out.message, seq: out.seq, duplicate: false };
      } catch (e) {
        // Nothing was linked: the files stored for this try go (a twin may have won the key).
        await files.dropUnlinked(fileIds);
        if (!isUniqueViolation(e)) throw e;
        const again = (await messageByKey(db, actor.userId, input.key)) ?? notFound();
        return { message: again, seq: again.seq, duplicate: true };
      }
    },

    /** Edits one's own message (while still allowed to post in the room). */
    async edit(actor: Actor, raw: unknown) {
      const input = parse(EditInput, raw);
      const { m, room, userId } = await ownMessage(actor, { messageId: input.messageId });
      authorizeRoom(actor, room, 'post');
      if (m.author.id !== userId || m.deletedAt) forbidden();
      const mentions = await mentionRecipients(room, input.body, userId);
      const html = renderMarkdown(input.body, { knownHandles: mentions.known });
      return commitEvent(
        actor,
        room,
        'message.edited',
        m.id,
        async (tx, now) => {
          await tx.updateTable('chatMessages').set({ body: input.body, bodyHtml: html, editedAt: now }).where('id', '=', m.id).execute();
          await reviseNotices(tx, { itemId: m.id }, { excerpt: excerptOf(input.body), body: { text: input.body, html } });
        },
        mentions.ids,
      );
    },

    /** Deletes a message: its author, or a moderator of the group. */
    async remove(actor: Actor, raw: unknown) {
      const { m, room, userId } = await ownMessage(actor, raw);
      const mayModerate = room.group ? can(actor, 'chat.moderate', room.group) : false;
      if (m.deletedAt) return { message: m, seq: m.seq };
      if (!(m.author.id === userId && canPostRoom(actor, room)) && !mayModerate) forbidden();
      return commitEvent(actor, room, 'message.deleted', m.id, async (tx, now) => {
        await tx.updateTable('chatMessages').set({ deletedAt: now, deletedBy: userId }).where('id', '=', m.id).execute();
        await tx.deleteFrom('reactions').where('targetId', '=', m.id).execute();
      });
    },

    /** Adds or removes one emoji reaction of the actor; no event when nothing changes. */
    async react(actor: Actor, raw: unknown) {
      const input = parse(ReactInput, raw);
      const { m, room, userId } = await ownMessage(actor, { messageId: input.messageId });
      authorizeRoom(actor, room, 'post');
      if (m.deletedAt) notFound();
      const has = (m.reactions[input.emoji] ?? []).includes(userId);
      if (has === input.on) return { message: m, seq: null };
      if (input.on && Object.keys(m.reactions).length >= 20 && !m.reactions[input.emoji]) invalidField('emoji', 'too_many_reactions');
      return commitEvent(actor, room, 'message.reacted', m.id, async (tx, now) => {
        if (input.on) await tx.insertInto('reactions').values({ targetId: m.id, userId, emoji: input.emoji, createdAt: now }).onConflict((oc) => oc.doNothing()).execute();
        else await tx.deleteFrom('reactions').where('targetId', '=', m.id).where('userId', '=', userId).where('emoji', '=', input.emoji).execute();
      });
    },

    /** Moves the member's read cursor to `seq` (never backwards). */
    async markRead(actor: Actor, raw: unknown) {
      const input = parse(ReadInput, raw);
      if (!isUser(actor)) return unauthenticated();
      const room = await roomOr404(db, input.roomId);
      authorizeRoom(actor, room, 'read');
      const seq = Math.min(input.seq, room.lastSeq);
      const count =
        seq >= room.lastSeq
          ? room.messageCount
          : Number((await db.selectFrom('chatMessages').select((eb) => eb.fn.countAll<number>().as('n')).where('roomId', '=', room.id).where('seq', '<=', seq).executeTakeFirst())?.n ?? 0);
      const userId = actor.userId;
      await inTx(deps, async (tx) => {
        const now = clock.now().toISOString();
        await advanceRead(tx, room.id, userId, seq, count, now);
        // Reading the room reads what the member was told of it, on every device.
        if (seq >= room.lastSeq) await markNoticesRead(tx, userId, { subjectId: room.id }, now, deps.inboxLive);
      });
      return { roomId: room.id, readSeq: seq, unread: Math.max(0, room.messageCount - count) };
    },

    /** The room after a permission check (WebSocket subscribe, and every frame that names a room). */
    async room(actor: Actor, raw: unknown): Promise<RoomRow> {
      const { roomId } = parse(RoomInput, raw);
      const room = await roomOr404(db, roomId);
      authorizeRoom(actor, room, 'read');
      return room;
    },

    /** Stored event frames after a cursor, in order: what a reconnecting client missed. */
    async eventsSince(actor: Actor, raw: unknown) {
      const input = parse(EventsInput, raw);
      const room = await roomOr404(db, input.roomId);
      authorizeRoom(actor, room, 'read');
      return { room, events: await eventsAfter(db, room.id, input.after, input.limit) };
    },

    /**
     * "Make a discussion from this": starts a discussion in the group, quoting the chat
     * message and linking back to it, through the discussions service (same rules, counters,
     * search row and mentions as any new discussion).
     */
    async toDiscussion(actor: Actor, raw: unknown): Promise<{ discussionId: string; url: string }> {
      const input = parse(ToDiscussionInput, raw);
      const { m, room } = await ownMessage(actor, { messageId: input.messageId });
      if (!room.group || m.deletedAt) return notFound();
      const quoted = m.body.split('\n').map((l) => `> ${l}`).join('\n');
      const body = `${quoted}\n\n— @${m.author.handle}, [chat](/groups/${room.group.slug}/chat#m-${m.id})`;
      discussions ??= createDiscussionsService(deps);
      const d = await discussions.create(actor, { groupSlug: room.group.slug, title: input.title, body, files: [], fileIds: [], key: input.key });
      return { discussionId: d.id, url: `/d/${d.id}` };
    },
  };
}
export type ChatService = ReturnType<typeof createChatService>;
