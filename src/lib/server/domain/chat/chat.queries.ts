import { sql } from 'kysely';
import { inTx, type Deps } from '../../kernel/deps';
import { once } from '../../kernel/idempotency';
import { invalidField, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { groupSeenBySlug } from '../groups/group';
import { advanceRead, authorizeRoom, ensureGroupRoom, messagesPage, roomOr404, type MessageView, type RoomRow } from './chat.repo';
import { markRead } from '../notifications';
import { GroupRoomInput, HistoryInput, ListDirectInput } from './schemas';
import { createDirect } from './direct';
import { createUnread, settleFloor } from './unread';
import { lastMessages, type LastMessage } from './previews';
import { createMessageMenu, roomAbilities } from './menu';
import type { RoomAbilities } from '../../../chat-abilities';

/** What a chat page shows: the last messages (or a window), cursors and what the member may do. */
export type RoomPage = {
  room: { id: string; kind: 'group' | 'direct'; title: string; lastSeq: number; group: { id: string; slug: string; name: string } | null; people: { id: string; name: string; handle: string }[] };
  messages: MessageView[];
  /** The member's read cursor before this visit, for "jump to first unread". */
  readSeq: number;
  unread: number;
  hasOlder: boolean;
  hasNewer: boolean;
  can: RoomAbilities;
};
export type DirectSummary = { id: string; title: string; people: { id: string; name: string; handle: string }[]; lastSeq: number; unread: number; lastActivityAt: string; last: LastMessage | null };

/** Read side of chat: pages, history, direct conversations. */
export function createChatQueries(deps: Deps) {
  const { db, clock } = deps;

  async function readState(room: RoomRow, actor: Actor) {
    if (!isUser(actor)) return { readSeq: room.lastSeq, unread: 0 };
    const cursor = () => db.selectFrom('chatParticipants').select(['readSeq', 'readCount']).where('roomId', '=', room.id).where('userId', '=', actor.userId).executeTakeFirst();
    let p = await cursor();
    if (!p && room.group) {
      // A member's first visit: what was written before they joined counts as read.
      const m = await db.selectFrom('memberships').select('createdAt').where('groupId', '=', room.group.id).where('userId', '=', actor.userId).executeTakeFirst();
      if (m) {
        await settleFloor(db, room.id, actor.userId, m.createdAt, clock.now().toISOString());
        p = await cursor();
      }
    }
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
    if (isUser(actor) && !hasNewer) {
      const userId = actor.userId;
      const told = await db.selectFrom('notifications').select('id').where('userId', '=', userId).where('subjectId', '=', room.id).where('readAt', 'is', null).limit(1).executeTakeFirst();
      if (state.unread > 0 || told)
        await inTx(deps, async (tx) => {
          const now = clock.now().toISOString();
          if (state.unread > 0) await advanceRead(tx, room.id, userId, room.lastSeq, room.messageCount, now);
          await markRead(tx, userId, { subjectId: room.id }, now, deps.inboxLive);
        });
    }
    return {
      room: { id: room.id, kind: room.kind, title: room.title, lastSeq: room.lastSeq, group: room.group ? { id: room.group.id, slug: room.group.slug, name: room.group.name } : null, people: room.kind === 'direct' ? await people(room.id) : [] },
      messages,
      ...state,
      hasOlder,
      hasNewer,
      can: roomAbilities(actor, room),
    };
  }

  return {
    ...createDirect(deps),
    ...createUnread(deps),
    ...createMessageMenu(deps),

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
      const lastOf = await lastMessages(db, page.map((r) => r.id));
      const conversations = page.map((r) => {
        const others = ppl.filter((p) => p.roomId === r.id && p.id !== actor.userId).map(({ id, name, handle }) => ({ id, name, handle }));
        return { id: r.id, title: r.title || others.map((o) => o.name).join(', '), people: others, lastSeq: r.lastSeq, unread: Math.max(0, r.messageCount - r.readCount), lastActivityAt: r.lastActivityAt, last: lastOf.get(r.id) ?? null };
      });
      const last = page[page.length - 1];
      return { conversations, next: rows.length > input.limit && last ? `${last.lastActivityAt}|${last.id}` : null };
    },
  };
}
