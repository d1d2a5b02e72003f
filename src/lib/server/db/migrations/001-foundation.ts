import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect';

/** Accounts, groups, discussions, unread state, files, search, event log and outbox. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema
    .createTable('instance')
    .addColumn('id', int, (c) => c.primaryKey())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('description', text, (c) => c.notNull().defaultTo(''))
    .addColumn('open_registration', int, (c) => c.notNull().defaultTo(0))
    .addColumn('default_locale', text, (c) => c.notNull().defaultTo('fr'))
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('email', text, (c) => c.notNull().unique())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('handle', text, (c) => c.notNull().unique())
    .addColumn('password_hash', text)
    .addColumn('is_admin', int, (c) => c.notNull().defaultTo(0))
    .addColumn('locale', text, (c) => c.notNull().defaultTo('fr'))
    .addColumn('time_zone', text, (c) => c.notNull().defaultTo('Europe/Brussels'))
    .addColumn('bio', text, (c) => c.notNull().defaultTo(''))
    .addColumn('avatar_file_id', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('disabled_at', text)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('last_seen_at', text, (c) => c.notNull())
    .addColumn('user_agent', text, (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('used_at', text)
    .execute();

  await db.schema
    .createTable('access_tokens')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_used_at', text)
    .addColumn('revoked_at', text)
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_key').on('login_attempts').columns(['key', 'created_at']).execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('parent_id', text, (c) => c.references('groups.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('slug', text, (c) => c.notNull().unique())
    .addColumn('description', text, (c) => c.notNull().defaultTo(''))
    .addColumn('cover_file_id', text)
    .addColumn('visibility', text, (c) => c.notNull())
    .addColumn('created_by', text, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_seq', int, (c) => c.notNull().defaultTo(0))
    .addColumn('discussion_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('member_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('last_activity_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('groups_parent').on('groups').column('parent_id').execute();

  await db.schema
    .createTable('memberships')
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('read_floor_seq', int, (c) => c.notNull().defaultTo(0))
    .addColumn('unread_count', int, (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('memberships_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('memberships_user').on('memberships').columns(['user_id', 'group_id']).execute();

  await db.schema
    .createTable('join_requests')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('message', text, (c) => c.notNull().defaultTo(''))
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('decided_by', text)
    .addColumn('decided_at', text)
    .execute();
  await db.schema.createIndex('join_requests_group').on('join_requests').columns(['group_id', 'status']).execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.references('groups.id').onDelete('cascade'))
    .addColumn('email', text)
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('created_by', text, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('max_uses', int)
    .addColumn('use_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', text)
    .execute();

  await db.schema
    .createTable('group_links')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('url', text, (c) => c.notNull())
    .addColumn('position', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('group_links_group').on('group_links').column('group_id').execute();

  await db.schema
    .createTable('discussions')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('group_id', text, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('body_html', text, (c) => c.notNull())
    .addColumn('seq', int, (c) => c.notNull())
    .addColumn('last_seq', int, (c) => c.notNull())
    .addColumn('comment_count', int, (c) => c.notNull().defaultTo(0))
    .addColumn('pinned_at', text)
    .addColumn('locked_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('edited_at', text)
    .addColumn('deleted_at', text)
    .addColumn('last_activity_at', text, (c) => c.notNull())
    .execute();
  // Keyset paging of a group's list: pinned first, then latest activity.
  await db.schema
    .createIndex('discussions_group_activity')
    .on('discussions')
    .columns(['group_id', 'last_activity_at', 'id'])
    .execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('discussion_id', text, (c) => c.notNull().references('discussions.id').onDelete('cascade'))
    .addColumn('group_id', text, (c) => c.notNull())
    .addColumn('author_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('body_html', text, (c) => c.notNull())
    .addColumn('seq', int, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('edited_at', text)
    .addColumn('deleted_at', text)
    .addColumn('deleted_by', text)
    .execute();
  await db.schema.createIndex('comments_discussion_seq').on('comments').columns(['discussion_id', 'seq']).execute();

  await db.schema
    .createTable('reactions')
    .addColumn('target_id', text, (c) => c.notNull())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('emoji', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pk', ['target_id', 'user_id', 'emoji'])
    .execute();

  await db.schema
    .createTable('discussion_reads')
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('discussion_id', text, (c) => c.notNull().references('discussions.id').onDelete('cascade'))
    .addColumn('last_read_seq', int, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('discussion_reads_pk', ['user_id', 'discussion_id'])
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('actor_id', text)
    .addColumn('group_id', text)
    .addColumn('discussion_id', text)
    .addColumn('comment_id', text)
    .addColumn('data', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('read_at', text)
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('files')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('owner_id', text, (c) => c.notNull().references('users.id'))
    .addColumn('purpose', text, (c) => c.notNull())
    .addColumn('group_id', text)
    .addColumn('discussion_id', text)
    .addColumn('comment_id', text)
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('mime', text, (c) => c.notNull())
    .addColumn('size', int, (c) => c.notNull())
    .addColumn('width', int)
    .addColumn('height', int)
    .addColumn('has_preview', int, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('files_discussion').on('files').column('discussion_id').execute();
  await db.schema.createIndex('files_comment').on('files').column('comment_id').execute();

  await db.schema
    .createTable('drafts')
    .addColumn('user_id', text, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull().defaultTo(''))
    .addColumn('body', text, (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('drafts_pk', ['user_id', 'key'])
    .execute();

  // Search documents: one row per discussion and per comment, indexed per engine below.
  await db.schema
    .createTable('search_docs')
    .addColumn('rowid', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('doc_id', text, (c) => c.notNull().unique())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('group_id', text, (c) => c.notNull())
    .addColumn('discussion_id', text, (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('body', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(db);
    await sql`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
      INSERT INTO search_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
      INSERT INTO search_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body); END`.execute(db);
  } else {
    await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED`.execute(db);
    await sql`CREATE INDEX search_docs_tsv ON search_docs USING gin(tsv)`.execute(db);
  }
  await db.schema.createIndex('search_docs_group').on('search_docs').column('group_id').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('group_id', text)
    .addColumn('actor_id', text)
    .addColumn('data', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', text, (c) => c.primaryKey())
    .addColumn('kind', text, (c) => c.notNull())
    .addColumn('payload', text, (c) => c.notNull())
    .addColumn('run_at', text, (c) => c.notNull())
    .addColumn('attempts', int, (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', text)
    .addColumn('locked_by', text)
    .addColumn('last_error', text)
    .addColumn('done_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['done_at', 'run_at']).execute();
}
