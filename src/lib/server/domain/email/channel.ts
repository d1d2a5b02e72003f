import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { EmailLevel } from '../../db/schema';
import { inTx, type Deps } from '../../kernel/deps';
import { enqueueJob, enqueueJobs } from '../../kernel/outbox';
import type { Channel, Notice, Recipient } from '../notifications';
import { mailIdentities } from '../accounts/users';
import { DEFAULT_LEVEL } from './prefs';
import { noticeMail } from './notice-mail';

/** Replies to one discussion (or messages of one conversation) within this window after a mail make one more mail, not many. */
export const MERGE_WINDOW_MS = 5 * 60_000;

type Mode = 'now' | 'merge';

/**
 * The mail channel. In a group, the member's mail level for it is the ceiling (a digest or
 * "nothing" stops every mail now). What reaches a member at once (a mention, an assignment, a new
 * discussion at "every message") leaves at once; replies in a discussion and messages of a
 * conversation go at once when they are the first in a while, and the ones that follow
 * within `MERGE_WINDOW_MS` wait and leave together as one mail (only those still unread).
 * Choices of `level` follow the member's mail level for the group: every message, the
 * discussions they take part in, a digest (built apart), or nothing. Quiet hours hold the
 * mail until they end. Every mail is rendered when it is enqueued, so a retry sends the
 * same bytes.
 */
export function emailChannel(deps: Deps): Channel & { flush(p: { userId: string; subjectId: string }): Promise<boolean> } {
  const { config } = deps;

  /** Each recipient's mail level for the notice's group (their default outside a group). */
  async function levels(tx: Tx, groupId: string | null, userIds: string[]): Promise<Map<string, EmailLevel>> {
    const out = new Map<string, EmailLevel>();
    if (!userIds.length) return out;
    const defaults = await tx.selectFrom('emailSettings').select(['userId', 'level']).where('userId', 'in', userIds).execute();
    for (const d of defaults) out.set(d.userId, d.level as EmailLevel);
    if (groupId) for (const p of await tx.selectFrom('emailGroupPrefs').select(['userId', 'level']).where('groupId', '=', groupId).where('userId', 'in', userIds).execute()) out.set(p.userId, p.level as EmailLevel);
    return out;
  }

  async function sendNow(tx: Tx, notice: Notice, to: Recipient[], at: Date) {
    if (!to.length) return;
    await enqueueJobs(tx, 'mail.send', to.map((r) => ({ payload: noticeMail(config, [notice], r), runAt: r.quietUntil ?? at })), at);
    await tx.updateTable('notifications').set({ mailState: 'sent' }).where('id', 'in', to.map((r) => r.notificationId)).execute();
  }

  const channel = {
    name: 'email' as const,

    async everyMessage(tx: Tx, groupId: string) {
      const rows = await sql<{ userId: string }>`
        SELECT p.user_id AS user_id FROM email_group_prefs p
          JOIN memberships m ON m.user_id = p.user_id AND m.group_id = p.group_id
          WHERE p.group_id = ${groupId} AND p.level = 'all'
        UNION
        SELECT s.user_id AS user_id FROM email_settings s
          JOIN memberships m ON m.user_id = s.user_id AND m.group_id = ${groupId}
          WHERE s.level = 'all'
            AND NOT EXISTS (SELECT 1 FROM email_group_prefs p WHERE p.user_id = s.user_id AND p.group_id = ${groupId})`.execute(tx);
      return rows.rows.map((r) => r.userId);
    },

    async deliver(tx: Tx, notice: Notice, to: Recipient[], at: Date) {
      // In a group, the member's mail level for it is the ceiling: a digest or "nothing" means no
      // mail now, whatever the reason (mentions and requests wait for the digest).
      const lv = await levels(tx, notice.groupId, to.filter((r) => r.choice === 'level' || notice.groupId).map((r) => r.userId));
      // New things leave at once; a reply or a message in an ongoing conversation may be merged.
      const mergeable = notice.data.thread?.reply === true;
      const modes = new Map<Recipient, Mode>();
      for (const r of to) {
        let mode: Mode | null = null;
        const level = lv.get(r.userId) ?? DEFAULT_LEVEL;
        if (notice.groupId && level !== 'all' && level !== 'participating') continue;
        if (r.choice === 'now') mode = r.reason === 'direct' ? 'merge' : 'now';
        else if (r.choice === 'level') {
          if (level === 'all' || (level === 'participating' && r.reason !== 'member')) mode = 'merge';
        }
        if (mode) modes.set(r, mode === 'merge' && !mergeable ? 'now' : mode);
      }
      const now = [...modes].filter(([, m]) => m === 'now').map(([r]) => r);
      const merge = [...modes].filter(([, m]) => m === 'merge').map(([r]) => r);
      await sendNow(tx, notice, now, at);
      if (!merge.length) return;

      // The first reply in a while goes at once; the following ones wait for the window's end.
      // A few statements for all recipients together, however many they are.
      let q = tx.selectFrom('mailThreads').select(['userId', 'lastSentAt', 'flushAt']).where('subjectId', '=', notice.subjectId).where('userId', 'in', merge.map((r) => r.userId));
      if (deps.dialect === 'postgres') q = q.forUpdate();
      const state = new Map((await q.execute()).map((s) => [s.userId, s]));
      const iso = at.toISOString();
      const windowStart = new Date(at.getTime() - MERGE_WINDOW_MS).toISOString();
      const fresh = merge.filter((r) => !state.has(r.userId));
      const made = fresh.length
        ? new Set((await tx.insertInto('mailThreads').values(fresh.map((r) => ({ userId: r.userId, subjectId: notice.subjectId, lastSentAt: iso, flushAt: null }))).onConflict((oc) => oc.columns(['userId', 'subjectId']).doNothing()).returning('userId').execute()).map((x) => x.userId))
        : new Set<string>();
      const quiet = merge.filter((r) => {
        const s = state.get(r.userId);
        return s && !s.flushAt && s.lastSentAt <= windowStart;
      });
      if (quiet.length) await tx.updateTable('mailThreads').set({ lastSentAt: iso }).where('subjectId', '=', notice.subjectId).where('userId', 'in', quiet.map((r) => r.userId)).execute();
      const leading = [...merge.filter((r) => made.has(r.userId)), ...quiet];
      const waiting = merge.filter((r) => !leading.includes(r));
      if (waiting.length) {
        await tx.updateTable('notifications').set({ mailState: 'pending' }).where('id', 'in', waiting.map((r) => r.notificationId)).execute();
        // One flush at the end of each member's window, unless one is already due.
        const due = new Map<string, Recipient[]>();
        for (const r of waiting) {
          const s = state.get(r.userId) ?? { lastSentAt: iso, flushAt: null };
          if (s.flushAt) continue;
          let when = new Date(Math.max(Date.parse(s.lastSentAt) + MERGE_WINDOW_MS, at.getTime()));
          if (r.quietUntil && r.quietUntil > when) when = r.quietUntil;
          const k = when.toISOString();
          due.set(k, [...(due.get(k) ?? []), r]);
        }
        for (const [when, rs] of due) await tx.updateTable('mailThreads').set({ flushAt: when }).where('subjectId', '=', notice.subjectId).where('userId', 'in', rs.map((r) => r.userId)).execute();
        const jobs = [...due].flatMap(([when, rs]) => rs.map((r) => ({ payload: { userId: r.userId, subjectId: notice.subjectId }, runAt: new Date(when) })));
        if (jobs.length) await enqueueJobs(tx, 'mail.flush', jobs, at);
      }
      await sendNow(tx, notice, leading, at);
    },

    /**
     * End of a merge window: what waited and is still unread leaves as one mail. Returns
     * whether a mail was enqueued.
     */
    async flush(p: { userId: string; subjectId: string }): Promise<boolean> {
      return inTx(deps, async (tx) => {
        let q = tx.selectFrom('mailThreads').select(['flushAt']).where('userId', '=', p.userId).where('subjectId', '=', p.subjectId);
        if (deps.dialect === 'postgres') q = q.forUpdate();
        const s = await q.executeTakeFirst();
        if (!s?.flushAt) return false;
        const now = deps.clock.now();
        const rows = await tx
          .selectFrom('notifications as n')
          .innerJoin('notices as x', 'x.id', 'n.noticeId')
          .select(['n.id', 'n.reason', 'n.readAt', 'x.id as noticeId', 'x.type', 'x.subjectKind', 'x.subjectId', 'x.itemId', 'x.groupId', 'x.actorId', 'x.data', 'x.createdAt'])
          .where('n.userId', '=', p.userId)
          .where('n.subjectId', '=', p.subjectId)
          .where('n.mailState', '=', 'pending')
          .orderBy('n.createdAt')
          .orderBy('n.id')
          .execute();
        if (rows.length) await tx.updateTable('notifications').set({ mailState: 'sent' }).where('id', 'in', rows.map((r) => r.id)).execute();
        const unread = rows.filter((r) => !r.readAt);
        const who = (await mailIdentities(tx, [p.userId]))[0];
        const sent = unread.length > 0 && !!who;
        await tx.updateTable('mailThreads').set({ flushAt: null, ...(sent ? { lastSentAt: now.toISOString() } : {}) }).where('userId', '=', p.userId).where('subjectId', '=', p.subjectId).execute();
        if (!sent) return false;
        const notices: Notice[] = unread.map((r) => ({ id: r.noticeId, type: r.type, subjectKind: r.subjectKind, subjectId: r.subjectId, itemId: r.itemId, groupId: r.groupId, actorId: r.actorId, data: JSON.parse(r.data), createdAt: r.createdAt }));
        const last = unread[unread.length - 1];
        const mail = noticeMail(config, notices, { userId: p.userId, reason: last.reason as Recipient['reason'], notificationId: unread[0].id, email: who.email, locale: who.locale, timeZone: who.timeZone, choice: 'level', quietUntil: null });
        await enqueueJob(tx, 'mail.send', mail, now);
        return true;
      });
    },
  };
  return channel;
}
