import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect';

/**
 * One notification pipeline. A `notice` is what happened, written once per event (title,
 * summary, link, body for mail); a `notification` is one member told of it, why (`reason`)
 * and whether it shows in their inbox; per-member preferences per reason and channel, quiet
 * hours and the inbox's unread count (kept on write); `mail_threads` remembers when a member
 * last got mail about a discussion or room, so a burst of replies becomes one mail.
 * Notifications of the first table (mentions, join requests) are carried over.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  // The first table's rows are kept in memory, the table replaced, and the rows carried over.
  const old = (await db.selectFrom('notifications').selectAll().execute()) as Old[];
  await db.schema.dropTable('notifications').execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('subject_kind', text, (c) => c.notNull())
    .addColumn('subject_id', text, (c) => c.notNull())
    .addColumn('item_id', text)
    .addColumn('group_id', text)
    .addColumn('actor_id', text)
    .addColumn('data', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('notice_id', text, (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('reason', text, (c) => c.notNull())
    .addColumn('subject_kind', text, (c) => c.notNull())
    .addColumn('subject_id', text, (c) => c.notNull())
    .addColumn('item_id', text)
    .addColumn('group_id', text)
    .addColumn('actor_id', text)
    .addColumn('in_inbox', int, (c) => c.notNull().defaultTo(0))
    .addColumn('mail_state', text)
    .addColumn('dedupe_key', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('read_at', text)
    .execute();
  await db.schema.createIndex('notifications_dedupe').on('notifications').columns(['user_id', 'dedupe_key']).unique().execute();
  await db.schema.createIndex('notifications_inbox').on('notifications').columns(['user_id', 'in_inbox', 'created_at']).execute();
  await db.schema.createIndex('notifications_subject').on('notifications').columns(['user_id', 'subject_id']).execute();

  await db.schema
    .createTable('notification_prefs')
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('reason', text, (c) => c.notNull())
    .addColumn('channel', text, (c) => c.notNull())
    .addColumn('value', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_prefs_pk', ['user_id', 'reason', 'channel'])
    .execute();
  await db.schema.createIndex('notification_prefs_choice').on('notification_prefs').columns(['reason', 'channel', 'value']).execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', text, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('quiet_from', int)
    .addColumn('quiet_to', int)
    .addColumn('inbox_unread', int, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_threads')
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('subject_id', text, (c) => c.notNull())
    .addColumn('last_sent_at', text, (c) => c.notNull())
    .addColumn('flush_at', text)
    .addPrimaryKeyConstraint('mail_threads_pk', ['user_id', 'subject_id'])
    .execute();

  // Members who want every message of a group: found through these, not by scanning the group.
  await db.schema.createIndex('email_group_prefs_level').on('email_group_prefs').columns(['group_id', 'level']).execute();
  await db.schema.createIndex('email_settings_level').on('email_settings').column('level').execute();

  await carryOver(db, old);
}

type Old = { id: string; userId: string; kind: string; actorId: string | null; groupId: string | null; discussionId: string | null; commentId: string | null; data: string; createdAt: string; readAt: string | null };

/** Mentions and join-request notifications of the first table become notices and inbox rows. */
async function carryOver(db: Kysely<any>, rows: Old[]) {
  if (rows.length === 0) return;
  const users = new Map(((await db.selectFrom('users').select(['id', 'name']).execute()) as { id: string; name: string }[]).map((u) => [u.id, u.name]));
  const groups = new Map(((await db.selectFrom('groups').select(['id', 'slug', 'name']).execute()) as { id: string; slug: string; name: string }[]).map((g) => [g.id, g]));
  for (const o of rows) {
    let data: Record<string, any> = {};
    try {
      data = JSON.parse(o.data);
    } catch {}
    const actor = o.actorId ? { id: o.actorId, name: users.get(o.actorId) ?? '' } : null;
    const g = o.groupId ? groups.get(o.groupId) : undefined;
    const group = g ? { slug: g.slug, name: g.name } : null;
    let n: { type: string; subjectKind: string; subjectId: string; itemId: string | null; reason: string; dedupe: string; data: Record<string, unknown> } | null = null;
    if (o.kind === 'mention' && o.discussionId) {
      const d = (await db.selectFrom('discussions').select(['title']).where('id', '=', o.discussionId).executeTakeFirst()) as { title: string } | undefined;
      if (!d) continue;
      const url = o.commentId ? `/d/${o.discussionId}?comment=${o.commentId}#c-${o.commentId}` : `/d/${o.discussionId}`;
      n = { type: o.commentId ? 'comment.posted' : 'discussion.started', subjectKind: 'discussion', subjectId: o.discussionId, itemId: o.commentId ?? o.discussionId, reason: 'mentioned', dedupe: `mentioned:${o.commentId ?? o.discussionId}`, data: { title: d.title, url, summary: { key: 'notify.mentioned', params: { name: actor?.name ?? '', title: d.title } } } };
    } else if (o.kind === 'mention' && data.chatRoomId) {
      const m = (await db.selectFrom('chat_messages').select(['body', 'seq']).where('id', '=', data.chatMessageId ?? '').executeTakeFirst()) as { body: string; seq: number } | undefined;
      if (!m) continue;
      const base = data.groupSlug ? `/groups/${data.groupSlug}/chat` : `/messages/${data.chatRoomId}`;
      const title = group?.name ?? '';
      n = { type: 'chat.message_posted', subjectKind: 'chat', subjectId: data.chatRoomId, itemId: data.chatMessageId, reason: 'mentioned', dedupe: `mentioned:${data.chatMessageId}`, data: { title, url: `${base}?after=${Math.max(0, Number(m.seq) - 1)}#m-${data.chatMessageId}`, excerpt: m.body.slice(0, 200), summary: { key: 'notify.chat_mentioned', params: { name: actor?.name ?? '', title } } } };
    } else if (o.kind === 'join_request' && g) {
      n = { type: 'join.requested', subjectKind: 'join_request', subjectId: o.groupId!, itemId: data.requestId ?? null, reason: 'admin', dedupe: `admin:${data.requestId ?? o.id}`, data: { title: g.name, url: `/groups/${g.slug}/requests`, summary: { key: 'notify.join_requested', params: { name: actor?.name ?? '', group: g.name } } } };
    } else if ((o.kind === 'join_approved' || o.kind === 'join_refused') && g) {
      const approved = o.kind === 'join_approved';
      n = { type: 'join.decided', subjectKind: 'group', subjectId: o.groupId!, itemId: data.requestId ?? null, reason: 'replied', dedupe: `replied:${data.requestId ?? o.id}`, data: { title: g.name, url: `/groups/${g.slug}`, summary: { key: approved ? 'notify.join_approved' : 'notify.join_refused', params: { group: g.name } } } };
    }
    if (!n) continue;
    await db
      .insertInto('notices')
      .values({ id: o.id, type: n.type, subject_kind: n.subjectKind, subject_id: n.subjectId, item_id: n.itemId, group_id: o.groupId, actor_id: o.actorId, data: JSON.stringify({ ...n.data, group, actor }), created_at: o.createdAt })
      .execute();
    await db
      .insertInto('notifications')
      .values({ id: o.id, user_id: o.userId, notice_id: o.id, reason: n.reason, subject_kind: n.subjectKind, subject_id: n.subjectId, item_id: n.itemId, group_id: o.groupId, actor_id: o.actorId, in_inbox: 1, mail_state: null, dedupe_key: n.dedupe, created_at: o.createdAt, read_at: o.readAt })
      .onConflict((oc: any) => oc.columns(['user_id', 'dedupe_key']).doNothing())
      .execute();
  }
  await sql`INSERT INTO notification_settings (user_id, inbox_unread, updated_at)
    SELECT user_id, COUNT(*), MAX(created_at) FROM notifications WHERE read_at IS NULL AND in_inbox = 1 GROUP BY user_id`.execute(db);
}
