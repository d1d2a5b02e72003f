import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../db/connect';
import type { RecordedEvent } from '../../kernel/events';
import { groupReadBy } from '../../policy';
import { excerptOf, type Announcement, type Candidate, type Notifiers, type SubjectVisibility } from '../notifications';
import { canReadRoom, findRoom } from './chat.repo';

const excerpt = (s: string) => excerptOf(s);

/**
 * Who hears of a chat message: in a direct conversation, every other participant
 * ("direct"); in a group's chat, the members it mentions, and the author of the message it
 * answers in a thread ("replied"). A group chat's every message rings nobody by default:
 * members read it there, like any group chat.
 */
async function announceMessage(tx: Tx, e: RecordedEvent<'chat.message_posted' | 'chat.message_edited'>, edited: boolean): Promise<Announcement | null> {
  const room = await findRoom(tx, e.data.roomId);
  if (!room) return null;
  const m = await tx.selectFrom('chatMessages').select(['id', 'body', 'bodyHtml', 'seq', 'parentId', 'deletedAt', 'authorId']).where('id', '=', e.data.messageId).executeTakeFirst();
  if (!m || m.deletedAt) return null;
  const author = await tx.selectFrom('users').select(['id', 'name']).where('id', '=', m.authorId).executeTakeFirst();
  const candidates: Candidate[] = (e.data.mentioned ?? []).map((userId) => ({ userId, reason: 'mentioned' }));
  if (!edited) {
    if (room.kind === 'direct') for (const userId of room.participantIds) candidates.push({ userId, reason: 'direct' });
    if (m.parentId) {
      const parent = await tx.selectFrom('chatMessages').select('authorId').where('id', '=', m.parentId).executeTakeFirst();
      if (parent) candidates.push({ userId: parent.authorId, reason: 'replied' });
    }
  }
  if (candidates.length === 0) return null;
  const base = room.group ? `/groups/${room.group.slug}/chat` : `/messages/${room.id}`;
  const title = room.group ? room.group.name : author?.name ?? '';
  return {
    subject: { kind: 'chat', id: room.id },
    itemId: m.id,
    groupId: room.group?.id ?? null,
    candidates,
    mayRead: (a) => canReadRoom(a, room),
    data: {
      title,
      // A window starting at the message, so an old one is on the page too.
      url: `${base}?after=${Math.max(0, Number(m.seq) - 1)}#m-${m.id}`,
      summary: { key: edited ? 'notify.mentioned' : 'notify.chat_message', params: { name: author?.name ?? '', title } },
      excerpt: excerpt(m.body),
      body: { text: m.body, html: m.bodyHtml },
      group: room.group ? { slug: room.group.slug, name: room.group.name } : null,
      actor: author ?? null,
      // One mail thread per conversation: messages that follow quickly are merged.
      thread: { root: `room-${room.id}`, item: `m-${m.id}`, reply: true, subject: room.group ? `[${room.group.name}] Chat` : (author?.name ?? '') },
    },
  };
}

export const chatNotifiers: Notifiers = {
  'chat.message_posted': (tx, e) => announceMessage(tx, e, false),
  'chat.message_edited': (tx, e) => announceMessage(tx, e, true),
};

/** A room's notifications show while the member may read the room (its group, or as a participant) and the message exists. */
export const chatSubjects: SubjectVisibility = {
  chat: (actor, subjectId, itemId) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM chat_rooms sr LEFT JOIN groups sg ON sg.id = sr.group_id
      WHERE sr.id = ${subjectId} AND (
        (sr.kind = 'group' AND sg.id IS NOT NULL AND ${groupReadBy(actor, null as never, 'sg.id', 'sg.visibility')})
        OR (sr.kind = 'direct' AND EXISTS (SELECT 1 FROM chat_participants sp WHERE sp.room_id = sr.id AND sp.user_id = ${actor.userId}))))
      AND NOT EXISTS (SELECT 1 FROM chat_messages sm WHERE sm.id = ${itemId} AND sm.deleted_at IS NOT NULL)`,
};
