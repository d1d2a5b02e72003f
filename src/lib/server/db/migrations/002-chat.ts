import type { Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * Chat: rooms (a group's chat or a direct conversation), participants with their read
 * cursor, messages, and the per-room event log that reconnecting clients replay from.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema
    .createTable('chat_rooms')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull()) // 'group' | 'direct'
    .addColumn('group_id', text, (c) => c.unique().references('groups.id').onDelete('cascade'))
    .addColumn('direct_key', text, (c) => c.unique()) // sorted participant ids, for direct rooms
    .addColumn('title', text, (c) => c.notNull().defaultTo(''))
    .addColumn('last_seq', int, (c) => c.notNull().defaultTo(0))
    .addColumn('message_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_activity_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chat_participants')
    .addColumn('room_id', text, (c) => c.notNull().references('chat_rooms.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('joined_at', text, (c) => c.notNull())
    .addColumn('read_seq', int, (c) => c.notNull().defaultTo(0))
    .addColumn('read_count', int, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('chat_participants_pk', ['room_id', 'user_id'])
    .execute();
  await db.schema.createIndex('chat_participants_user').on('chat_participants').columns(['user_id', 'room_id']).execute();

  await db.schema
    .createTable('chat_messages')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('room_id', text, (c) => c.notNull().references('chat_rooms.id').onDelete('cascade'))
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('client_key', text, (c) => c.notNull())
    .addColumn('parent_id', text)
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('body_html', text, (c) => c.notNull())
    .addColumn('seq', int, (c) => c.notNull())
    .addColumn('reply_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('edited_at', text)
    .addColumn('deleted_at', text)
    .addColumn('deleted_by', text)
    .execute();
  await db.schema.createIndex('chat_messages_key').unique().on('chat_messages').columns(['author_id', 'client_key']).execute();
  await db.schema.createIndex('chat_messages_room_seq').on('chat_messages').columns(['room_id', 'seq']).execute();

  await db.schema
    .createTable('chat_events')
    .addColumn('room_id', text, (c) => c.notNull().references('chat_rooms.id').onDelete('cascade'))
    .addColumn('seq', int, (c) => c.notNull())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('frame', text, (c) => c.notNull()) // the encoded frame, replayed byte for byte
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_events_pk', ['room_id', 'seq'])
    .execute();
}
