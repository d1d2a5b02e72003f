import { sql } from 'kysely';
import type { Db } from '../../db/connect';
import { prepared } from '../../db/prepared';
import type { Deps } from '../../kernel/deps';
import { parse } from '../../kernel/validate';
import { can, isUser, type Actor, type GroupFacts } from '../../policy';
import { groupSeenBySlug } from '../groups/group';
import { advanceRead } from './chat.repo';
import { GroupRoomInput } from './schemas';
import { lastMessages, type LastMessage } from './previews';

/** A chat with messages the member has not read: a group's chat or a direct conversation. */
export type UnreadChat = { roomId: string; kind: 'group' | 'direct'; title: string; url: string; unread: number; lastActivityAt: string; group: { id: string; slug: string; name: string } | null };
/**
 * What home and the navigation show: every chat with unread messages (the latest first,
 * at most `LISTED`), the total over all of them, and the member's groups, whose chat
 * notices keep the counts live.
 */
export type UnreadChats = { total: number; chats: UnreadChat[]; groupIds: string[] };

const LISTED = 20;

// Read on every page (the navigation's badge): built and compiled once (see prepared.ts).
const groupChatRows = prepared(['userId'], (db, p: { userId: string }) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('groups as g', 'g.id', 'm.groupId')
    .innerJoin('chatRooms as r', 'r.groupId', 'g.id')
    .leftJoin('chatParticipants as p', (j) => j.onRef('p.roomId', '=', 'r.id').on('p.userId', '=', p.userId))
    .select(['r.id', 'r.lastSeq', 'r.messageCount', 'r.lastActivityAt', 'g.id as groupId', 'g.slug', 'g.name', 'g.visibility', 'g.parentId', 'm.createdAt as joinedAt', 'p.readCount'])
    .where('m.userId', '=', p.userId)
    .where('r.kind', '=', 'group')
    .where('r.messageCount', '>', 0),
);
const directChatRows = prepared(['userId'], (db, p: { userId: string }) =>
  db
    .selectFrom('chatParticipants as me')
    .innerJoin('chatRooms as r', 'r.id', 'me.roomId')
    .select(['r.id', 'r.title', 'r.messageCount', 'r.lastActivityAt', 'me.readCount'])
    .where('me.userId', '=', p.userId)
    .where('r.kind', '=', 'direct')
    .whereRef('r.messageCount', '>', 'me.readCount')
    .orderBy('r.lastActivityAt', 'desc')
    .limit(200),
);

/**
 * A member who never opened their group's chat has no read cursor there yet: messages
 * from before they joined count as read, like discussions. The cursor is written once,
 * the first time it is needed; later counts come from the counters.
 */
export async function settleFloor(db: Db, roomId: string, userId: string, joinedAt: string, now: string): Promise<number> {
  const r = await db
    .selectFrom('chatMessages')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`max(seq)`.as('s')])
    .where('roomId', '=', roomId)
    .where('createdAt', '<', joinedAt)
    .executeTakeFirst();
  const n = Number(r?.n ?? 0);
  await advanceRead(db, roomId, userId, Number(r?.s ?? 0), n, now);
  const p = await db.selectFrom('chatParticipants').select('readCount').where('roomId', '=', roomId).where('userId', '=', userId).executeTakeFirst();
  return Number(p?.readCount ?? n);
}

/** Unread counts of chats: the navigation's badge, home's list, a group page's chat button. */
export function createUnread(deps: Deps) {
  const { db, clock } = deps;

  /** Every group chat of the member's groups that has messages, with its unread count (cursors settled on first need). */
  async function allGroupChats(userId: string) {
    const rows = await groupChatRows.execute(db, { userId });
    const out: (UnreadChat & { lastSeq: number; facts: GroupFacts })[] = [];
    for (const r of rows) {
      const read = r.readCount === null ? await settleFloor(db, r.id, userId, r.joinedAt, clock.now().toISOString()) : Number(r.readCount);
      const unread = Math.max(0, Number(r.messageCount) - read);
      out.push({ roomId: r.id, kind: 'group', title: r.name, url: `/groups/${r.slug}/chat`, unread, lastActivityAt: r.lastActivityAt, group: { id: r.groupId, slug: r.slug, name: r.name }, lastSeq: Number(r.lastSeq), facts: { id: r.groupId, visibility: r.visibility, parentId: r.parentId } });
    }
    return out;
  }

  /** Group chats of the member's groups with unread messages. */
  async function groupChats(userId: string): Promise<UnreadChat[]> {
    return (await allGroupChats(userId)).filter((c) => c.unread > 0).map(({ lastSeq: _s, facts: _f, ...c }) => c);
  }

  /** Direct conversations with unread messages, latest first, titled by the other people's names. */
  async function directChats(userId: string) {
    const rows = await directChatRows.execute(db, { userId });
    const untitled = rows.filter((r) => !r.title).map((r) => r.id);
    const names = untitled.length
      ? await db.selectFrom('chatParticipants').innerJoin('users', 'users.id', 'chatParticipants.userId').select(['chatParticipants.roomId', 'users.name']).where('chatParticipants.roomId', 'in', untitled).where('users.id', '!=', userId).orderBy('users.name').execute()
      : [];
    return rows.map(
      (r): UnreadChat => ({
        roomId: r.id,
        kind: 'direct',
        title: r.title || names.filter((n) => n.roomId === r.id).map((n) => n.name).join(', '),
        url: `/messages/${r.id}`,
        unread: Number(r.messageCount) - Number(r.readCount),
        lastActivityAt: r.lastActivityAt,
        group: null,
      }),
    );
  }

  return {
    /**
     * The group chats of the member's groups that have messages, read or not, latest first,
     * with each one's last message: the chat list's group part. Empty for visitors.
     */
    async groupChatList(actor: Actor): Promise<(UnreadChat & { lastSeq: number; last: LastMessage | null })[]> {
      if (!isUser(actor)) return [];
      const chats = (await allGroupChats(actor.userId)).filter((c) => can(actor, 'chat.read', c.facts));
      const last = await lastMessages(db, chats.map((c) => c.roomId));
      return chats.map(({ facts: _, ...c }) => ({ ...c, last: last.get(c.roomId) ?? null })).sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : 0));
    },

    /** Every chat of the member with unread messages (group chats and direct conversations); empty for visitors. */
    async unreadChats(actor: Actor): Promise<UnreadChats> {
      if (!isUser(actor)) return { total: 0, chats: [], groupIds: [] };
      const [groups, direct] = [await groupChats(actor.userId), await directChats(actor.userId)];
      const all = [...groups, ...direct].sort((a, b) => (a.lastActivityAt === b.lastActivityAt ? (a.roomId < b.roomId ? 1 : -1) : a.lastActivityAt < b.lastActivityAt ? 1 : -1));
      return { total: all.reduce((s, c) => s + c.unread, 0), chats: all.slice(0, LISTED), groupIds: [...actor.roles.keys()] };
    },

    /** Unread messages over all the actor's direct conversations; 0 for visitors. */
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
     * may not read the chat, 0 for visitors, non-members and before the room exists.
     */
    async groupUnread(actor: Actor, raw: unknown): Promise<number | null> {
      const { slug } = parse(GroupRoomInput, raw);
      const g = await groupSeenBySlug(db, actor, slug);
      if (!can(actor, 'chat.read', { id: g.id, visibility: g.visibility, parentId: g.parentId })) return null;
      if (!isUser(actor)) return 0;
      const r = await db
        .selectFrom('chatRooms')
        .leftJoin('chatParticipants as me', (j) => j.onRef('me.roomId', '=', 'chatRooms.id').on('me.userId', '=', actor.userId))
        .leftJoin('memberships as m', (j) => j.onRef('m.groupId', '=', 'chatRooms.groupId').on('m.userId', '=', actor.userId))
        .select(['chatRooms.id', 'chatRooms.messageCount', 'me.readCount', 'm.createdAt as joinedAt'])
        .where('chatRooms.groupId', '=', g.id)
        .where('chatRooms.kind', '=', 'group')
        .executeTakeFirst();
      if (!r || !r.joinedAt) return 0;
      const read = r.readCount === null ? await settleFloor(db, r.id, actor.userId, r.joinedAt, clock.now().toISOString()) : Number(r.readCount);
      return Math.max(0, Number(r.messageCount) - read);
    },
  };
}
