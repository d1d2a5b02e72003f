import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestApp, engines } from '../../../../../tests/support/app';
import { newId } from '../../kernel/ids';
import { migrations } from '../migrate';

describe.each(engines)('%s: migration 011 carries notifications over', (engine) => {
  it('mentions and join requests of the first table become inbox lines, read marks and counts kept', async () => {
    const ids = { admin: newId(), anne: newId(), group: newId(), discussion: newId(), comment: newId(), request: newId() };
    const now = '2026-01-01T00:00:00.000Z';
    const app = await createTestApp(engine, {}, {
      async beforeMigrate(h) {
        // The database as it was before migration 011, with notifications of the first shape.
        await sql`CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at text NOT NULL)`.execute(h.db);
        for (const [name, m] of migrations.filter(([n]) => n < '011')) {
          await h.db.transaction().execute(async (tx) => {
            await m.up(tx, h.dialect);
            await sql`INSERT INTO schema_migrations (name, applied_at) VALUES (${name}, ${now})`.execute(tx);
          });
        }
        const user = (id: string, name: string, handle: string) =>
          sql`INSERT INTO users (id, email, name, handle, password_hash, is_admin, locale, time_zone, bio, avatar_file_id, created_at) VALUES (${id}, ${`${handle}@example.org`}, ${name}, ${handle}, NULL, 0, 'fr', 'Europe/Brussels', '', NULL, ${now})`.execute(h.db);
        await user(ids.admin, 'Ada Admin', 'ada');
        await user(ids.anne, 'Anne Peeters', 'anne');
        await sql`INSERT INTO groups (id, parent_id, name, slug, description, cover_file_id, visibility, created_by, created_at, last_seq, discussion_count, member_count, last_activity_at) VALUES (${ids.group}, NULL, 'Marchés', 'marches', '', NULL, 'open', ${ids.admin}, ${now}, 2, 1, 2, ${now})`.execute(h.db);
        for (const [u, role] of [[ids.admin, 'admin'], [ids.anne, 'member']]) await sql`INSERT INTO memberships (group_id, user_id, role, created_at, read_floor_seq, unread_count) VALUES (${ids.group}, ${u}, ${role}, ${now}, 0, 0)`.execute(h.db);
        await sql`INSERT INTO discussions (id, group_id, author_id, title, body, body_html, seq, last_seq, comment_count, pinned_at, locked_at, created_at, edited_at, deleted_at, last_activity_at) VALUES (${ids.discussion}, ${ids.group}, ${ids.admin}, 'Stand', 'x', 'x', 1, 2, 1, NULL, NULL, ${now}, NULL, NULL, ${now})`.execute(h.db);
        const note = (id: string, userId: string, kind: string, discussionId: string | null, commentId: string | null, data: string, readAt: string | null) =>
          sql`INSERT INTO notifications (id, user_id, kind, actor_id, group_id, discussion_id, comment_id, data, created_at, read_at) VALUES (${id}, ${userId}, ${kind}, ${ids.admin}, ${ids.group}, ${discussionId}, ${commentId}, ${data}, ${now}, ${readAt})`.execute(h.db);
        await note(newId(), ids.anne, 'mention', ids.discussion, ids.comment, '{}', null);
        await note(newId(), ids.anne, 'mention', ids.discussion, null, '{}', now);
        await note(newId(), ids.admin, 'join_request', null, null, JSON.stringify({ requestId: ids.request }), null);
      },
    });
    try {
      const anne = await app.sessions.actorFor(ids.anne as never);
      const admin = await app.sessions.actorFor(ids.admin as never);
      expect(await app.notifications.unread(anne)).toBe(1);
      expect(await app.notifications.unread(admin)).toBe(1);
      const inbox = await app.notifications.inbox(anne);
      expect(inbox.entries).toHaveLength(1);
      expect(inbox.entries[0]).toMatchObject({ subjectKind: 'discussion', subjectId: ids.discussion, count: 2, unread: 1 });
      expect(inbox.entries[0].latest.reason).toBe('mentioned');
      const adminInbox = await app.notifications.inbox(admin);
      expect(adminInbox.entries.map((e) => [e.subjectKind, e.latest.url])).toEqual([['join_request', '/groups/marches/requests']]);
      // The pipeline goes on from there: a new mention of Anne is a second unread.
      await app.discussions.reply(admin, { discussionId: ids.discussion, body: '@anne encore' });
      expect(await app.notifications.unread(anne)).toBe(2);
    } finally {
      await app.cleanup();
    }
  });
});
