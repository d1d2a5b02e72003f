import { sql } from 'kysely';
import type { Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { invalidField, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { can, authorize, isUser, type Actor } from '../../policy';
import { groupSeenBySlug } from '../groups/group';
import { advanceRead, authorizeRoom, canPostRoom, ensureGroupRoom, messagesPage, roomOr404, type MessageView, type RoomRow } from './chat.repo';
import { GroupRoomInput, HistoryInput, ListDirectInput, OpenDirectInput } from './schemas';

/** What a chat page shows: the last messages (or a window), cursors and what the member may do. */
export type RoomPage = {
  room: { id: string; kind: 'group' | 'direct'; title: string; lastSeq: number; group: { id: string; slug: string; name: string } | null; people: { id: string; name: string; handle: string }[] };
  messages: MessageView[];
  /** The member's read cursor before this visit, for "jump to first unread". */
  readSeq: number;
  unread: number;
  hasOlder: boolean;
  hasNewer: boolean;
  can: { post: boolean; moderate: boolean; makeDiscussion: boolean };
};
export type DirectSummary = { id: string; title: string; people: { id: string; name: string; handle: string }[]; lastSeq: number; unread: number; lastActivityAt: string };

/** Read side of chat: pages, history, direct conversations. */
export function createChatQueries(deps: Deps) {
  const { db, clock } = deps;

  async function readState(room: RoomRow, actor: Actor) {
    if (!isUser(actor)) return { readSeq: room.lastSeq, unread: 0 };
    const p = await db.selectFrom('chatParticipants').select(['readSeq', 'readCount']).where('roomId', '=', room.id).where('userId', '=', actor.userId).executeTakeFirst();
    return { readSeq: p?.readSeq ?? 0, unread: Math.max(0, room.messageCount - (p?.readCount ?? 0)) };
  }

  async function people(roomId: string) {
    return db.selectFrom('chatParticipants').innerJoin('users', 'users.id', 'chatParticipants.userId').select(['users.id', 'users.name', 'users.handle']).where('roomId', '=', roomId).orderBy('users.name').execute();
  }

  async function pageOf(actor: Actor, room: RoomRow, opts: { before?: number; after?: number; limit?: number }): Promise<RoomPage> {
    authorizeRoom(actor, room, 'read');
    const limit = opts.limit ?? 50;
    const messages = await messagesPage(db, room.id, { before: opts.before, after: opts.after, limit });
    const first = messages[0]?.seq;
    const last = messages[messages.length - 1]?.seq;
    const hasOlder = first !== undefined && !!(await db.selectFrom('chatMessages').select('id').where('roomId', '=', room.id).where('seq', '<', first).limit(1).executeTakeFirst());
    const hasNewer = last !== undefined && !!(await db.selectFrom('chatMessages').select('id').where('roomId', '=', room.id).where('seq', '>', last).limit(1).executeTakeFirst());
    const state = await readState(room, actor);
    // Showing the latest messages reads them (a page view without JavaScript too).
    if (isUser(actor) && !hasNewer && state.unread > 0) await advanceRead(db, room.id, actor.userId, room.lastSeq, room.messageCount, clock.now().toISOString());
    return {
      room: { id: room.id, kind: room.kind, title: room.title, lastSeq: room.lastSeq, group: room.group ? { id: room.group.id, slug: room.group.slug, name: room.group.name } : null, people: room.kind === 'direct' ? await people(room.id) : [] },
      messages,
      ...state,
      hasOlder,
      hasNewer,
      can: {
        post: canPostRoom(actor, room),
        moderate: room.group ? can(actor, 'chat.moderate', room.group) : false,
        makeDiscussion: room.group ? can(actor, 'discussion.create', room.group) : false,
      },
    };
  }

  return {
    /** A group's chat page (the room is created on first visit). Hidden groups are "not found". */
    async groupChat(actor: Actor, raw: unknown, window: unknown = {}): Promise<RoomPage> {
      const { slug } = parse(GroupRoomInput, raw);
      const g = await groupSeenBySlug(db, actor, slug);
      authorize(actor, 'chat.read', { id: g.id, visibility: g.visibility, parentId: g.parentId });
      const roomId = await ensureGroupRoom(db, g.id, g.createdBy, clock.now().toISOString());
      const w = parse(HistoryInput.omit({ roomId: true }), window ?? {});
      return pageOf(actor, await roomOr404(db, roomId), w);
    },

    /** A room's page by id (direct conversations, and the JSON API). */
    async roomPage(actor: Actor, raw: unknown): Promise<RoomPage> {
      const input = parse(HistoryInput, raw);
      return pageOf(actor, await roomOr404(db, input.roomId), input);
    },

    /** Older (or newer) messages by keyset on seq, oldest first: loaded on scroll. */
    async history(actor: Actor, raw: unknown): Promise<{ messages: MessageView[] }> {
      const input = parse(HistoryInput, raw);
      const room = await roomOr404(db, input.roomId);
      authorizeRoom(actor, room, 'read');
      return { messages: await messagesPage(db, room.id, input) };
    },

    /**
     * Opens the direct conversation between the actor and the members named by handle:
     * the same people always find the same conversation.
     */
    async openDirect(actor: Actor, raw: unknown): Promise<{ roomId: string; created: boolean }> {
      const input = parse(OpenDirectInput, raw);
      if (!isUser(actor)) return unauthenticated();
      authorize(actor, 'dm.start');
      const users = await db.selectFrom('users').select(['id', 'handle']).where('handle', 'in', input.handles).where('disabledAt', 'is', null).execute();
      const missing = input.handles.filter((h) => !users.some((u) => u.handle === h));
      if (missing.length) invalidField('handles', 'unknown_handle', { handle: missing[0] });
      const ids = [...new Set([actor.userId as string, ...users.map((u) => u.id)])].sort();
      if (ids.length < 2) invalidField('handles', 'required');
      const key = ids.join(',');
      const existing = await db.selectFrom('chatRooms').select('id').where('directKey', '=', key).executeTakeFirst();
      if (existing) return { roomId: existing.id, created: false };
      const now = clock.now().toISOString();
      const id = newId();
      try {
        // Sent twice with the same form key: the first answer, nothing written.
        return await once(deps, { userId: actor.userId, key: input.key, scope: 'dm.start' }, async (tx) => {
          await tx.insertInto('chatRooms').values({ id, kind: 'direct', groupId: null, directKey: key, title: input.title, lastSeq: 0, messageCount: 0, createdBy: actor.userId, createdAt: now, lastActivityAt: now }).execute();
          await tx.insertInto('chatParticipants').values(ids.map((userId) => ({ roomId: id, userId, joinedAt: now, readSeq: 0, readCount: 0 }))).execute();
          await recordEvent(tx, { type: 'chat.direct_opened', actorId: actor.userId, data: { roomId: id } }, clock.now());
          return { roomId: id, created: true };
        });
      } catch (e) {
        const again = await db.selectFrom('chatRooms').select('id').where('directKey', '=', key).executeTakeFirst();
        if (again) return { roomId: again.id, created: false };
        throw e;
      }
    },

    /** Unread messages over all the actor's direct conversations (the navigation's badge); 0 for visitors. */
    async directUnreadTotal(actor: Actor): Promise<number> {
      if (!isUser(actor)) return 0;
      const r = await db
        .selectFrom('chatParticipants as me')
        .innerJoin('chatRooms', 'chatRooms.id', 'me.roomId')
        .select(sql<number>`coalesce(sum(case when chat_rooms.message_count > me.read_count then chat_rooms.message_count - me.read_count else 0 end), 0)`.as('n'))
        .where('me.userId', '=', actor.userId)
        .where('chatRooms.kind', '=', 'direct')
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /**
     * A group chat's unread count for the actor (the group page's badge): null when the actor
     * may not read the chat, 0 for visitors and before the room exists.
     */
    async groupUnread(actor: Actor, raw: unknown): Promise<number | null> {
      const { slug } = parse(GroupRoomInput, raw);
      const g = await groupSeenBySlug(db, actor, slug);
      if (!can(actor, 'chat.read', { id: g.id, visibility: g.visibility, parentId: g.parentId })) return null;
      if (!isUser(actor)) return 0;
      const r = await db
        .selectFrom('chatRooms')
        .leftJoin('chatParticipants as me', (j) => j.onRef('me.roomId', '=', 'chatRooms.id').on('me.userId', '=', actor.userId))
        .select(['chatRooms.messageCount', 'me.readCount'])
        .where('chatRooms.groupId', '=', g.id)
        .where('chatRooms.kind', '=', 'group')
        .executeTakeFirst();
      return r ? Math.max(0, Number(r.messageCount) - Number(r.readCount ?? 0)) : 0;
    },

    /** The actor's direct conversations, latest activity first (keyset on activity, id). */
    async listDirect(actor: Actor, raw: unknown = {}): Promise<{ conversations: DirectSummary[]; next: string | null }> {
      const input = parse(ListDirectInput, raw ?? {});
      if (!isUser(actor)) return unauthenticated();
      let q = db
        .selectFrom('chatParticipants as me')
        .innerJoin('chatRooms', 'chatRooms.id', 'me.roomId')
        .select(['chatRooms.id', 'chatRooms.title', 'chatRooms.lastSeq', 'chatRooms.messageCount', 'chatRooms.lastActivityAt', 'me.readCount'])
        .where('me.userId', '=', actor.userId)
        .where('chatRooms.kind', '=', 'direct');
      if (input.before) {
        const [at, id] = input.before.split('|');
        q = q.where(sql<boolean>`(chat_rooms.last_activity_at < ${at} OR (chat_rooms.last_activity_at = ${at} AND chat_rooms.id < ${id ?? ''}))`);
      }
      const rows = await q.orderBy('chatRooms.lastActivityAt', 'desc').orderBy('chatRooms.id', 'desc').limit(input.limit + 1).execute();
      const page = rows.slice(0, input.limit);
      const ppl = page.length
        ? await db.selectFrom('chatParticipants').innerJoin('users', 'users.id', 'chatParticipants.userId').select(['chatParticipants.roomId', 'users.id', 'users.name', 'users.handle']).where('chatParticipants.roomId', 'in', page.map((r) => r.id)).orderBy('users.name').execute()
        : [];
      const conversations = page.map((r) => {
        const others = ppl.filter((p) => p.roomId === r.id && p.id !== actor.userId).map(({ id, name, handle }) => ({ id, name, handle }));
        return { id: r.id, title: r.title || others.map((o) => o.name).join(', '), people: others, lastSeq: r.lastSeq, unread: Math.max(0, r.messageCount - r.readCount), lastActivityAt: r.lastActivityAt };
      });
      const last = page[page.length - 1];
      return { conversations, next: rows.length > input.limit && last ? `${last.lastActivityAt}|${last.id}` : null };
    },
  };
}
