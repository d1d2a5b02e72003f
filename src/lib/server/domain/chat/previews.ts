import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import { glimpse } from '../../../chat-preview';

/** The last message of a chat as a list shows it: who wrote it and the start of its text. */
export type LastMessage = { authorId: string; authorName: string; text: string; deleted: boolean; at: string };

/**
 * The latest message of the room's main list (not a reply inside a thread) of each room, by
 * room id. One statement: each room's latest message is found on the (room_id, seq) index.
 * Callers pass only rooms the reader may read.
 */
export async function lastMessages(db: Tx, roomIds: string[]): Promise<Map<string, LastMessage>> {
  const out = new Map<string, LastMessage>();
  if (roomIds.length === 0) return out;
  const rows = await db
    .selectFrom('chatRooms as r')
    .innerJoin('chatMessages as m', (j) =>
      j.on(
        'm.id',
        '=',
        sql<string>`(select m2.id from chat_messages m2 where m2.room_id = r.id and m2.parent_id is null order by m2.seq desc limit 1)`,
      ),
    )
    .innerJoin('users as u', 'u.id', 'm.authorId')
    .select(['r.id as roomId', 'm.authorId', 'u.name', 'm.body', 'm.deletedAt', 'm.createdAt'])
    .where('r.id', 'in', roomIds)
    .execute();
  for (const r of rows) out.set(r.roomId, { authorId: r.authorId, authorName: r.name, text: r.deletedAt ? '' : glimpse(r.body), deleted: r.deletedAt !== null, at: r.createdAt });
  return out;
}
