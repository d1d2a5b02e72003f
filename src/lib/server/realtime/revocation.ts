import { sql } from 'kysely';
import type { Db } from '../db/connect';

/** Event types after which a member may have lost access to a group's chat. */
const MEMBER_EVENTS = ['member.removed', 'member.left'];
/** Event types after which some of a member's sessions or tokens may have ended: their sockets re-check their credential. */
const CREDENTIAL_EVENTS = ['user.logged_out_everywhere', 'user.password_changed', 'user.password_reset', 'user.session_revoked', 'user.token_revoked', 'user.disabled'];
const GROUP_EVENTS = ['group.updated', 'group.deleted'];
/** Event types after which a chat has a new message (unread counts in the navigation and on home). */
const CHAT_EVENTS = ['chat.message_posted'];

/**
 * Tails the shared event log for membership and visibility changes, so a member removed
 * from a group stops receiving its chat within a poll interval, whichever process removed
 * them. One indexed query per interval per process. (Content changes reach live pages at
 * once, published after their commit: see `inTx`.)
 */
export function watchAccessChanges(
  db: Db,
  o: { pollMs: number; onUser(userId: string): void; onGroup(groupId: string): void; log(m: string): void },
) {
  let last: number | null = null;
  let stopped = false;
  let running = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      if (last === null) {
        const r = await db.selectFrom('events').select(sql<number>`max(id)`.as('m')).executeTakeFirst();
        last = Number(r?.m ?? 0);
        return;
      }
      const top = Number((await db.selectFrom('events').select(sql<number>`max(id)`.as('m')).executeTakeFirst())?.m ?? last);
      const rows = await db
        .selectFrom('events')
        .select(['id', 'type', 'groupId', 'actorId', 'data'])
        .where('id', '>', last)
        .where('id', '<=', top)
        .where('type', 'in', [...MEMBER_EVENTS, ...CREDENTIAL_EVENTS, ...GROUP_EVENTS])
        .orderBy('id')
        .limit(500)
        .execute();
      for (const r of rows) {
        if (MEMBER_EVENTS.includes(r.type) || CREDENTIAL_EVENTS.includes(r.type)) {
          try {
            const uid = (JSON.parse(r.data) as { userId?: string }).userId;
            if (uid) o.onUser(uid);
          } catch {
            /* malformed event data: nothing to do */
          }
        } else if (r.groupId) o.onGroup(r.groupId);
      }
      last = rows.length === 500 ? Number(rows[rows.length - 1].id) : Math.max(last, top);
    } catch (e) {
      if (!stopped) o.log(`realtime: access watch: ${(e as Error).message}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), o.pollMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
