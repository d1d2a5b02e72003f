import { sql, type Expression, type SqlBool } from 'kysely';
import type { Tx } from '../../db/connect';
import { prepared } from '../../db/prepared';
import { afterCommit } from '../../kernel/events';
import type { UserActor } from '../../policy';
import type { Channel, SubjectVisibility } from './channel';
import type { NoticeData } from './notice';
import type { Reason } from './reasons';

/**
 * Tells a member's open pages (every device) that their inbox changed; and, inside the
 * transaction that read them, which subjects were read (`kind:id` tags), so the member's other
 * devices close the notifications they show about them.
 */
export type InboxLive = { changed(userIds: string[]): void; read?(tx: Tx, userId: string, tags: string[], at: string): Promise<void> };

/**
 * The inbox channel: a delivered notification shows in the member's inbox and raises the
 * bell's count, kept on write (`notification_settings.inbox_unread`), so no page counts rows.
 */
export function inboxChannel(live?: InboxLive): Channel {
  return {
    name: 'inbox',
    async everyMessage(tx, groupId) {
      const rows = await tx
        .selectFrom('notificationPrefs as p')
        .innerJoin('memberships as m', (j) => j.onRef('m.userId', '=', 'p.userId').on('m.groupId', '=', groupId))
        .select('p.userId')
        .where('p.reason', '=', 'member')
        .where('p.channel', '=', 'inbox')
        .where('p.value', '=', 'on')
        .execute();
      return rows.map((r) => r.userId);
    },
    async deliver(tx, _notice, to, at) {
      if (to.length === 0) return;
      await tx.updateTable('notifications').set({ inInbox: 1 }).where('id', 'in', to.map((r) => r.notificationId)).where('readAt', 'is', null).execute();
      await bumpUnread(tx, to.map((r) => r.userId), 1, at.toISOString());
      const users = to.map((r) => r.userId);
      afterCommit(tx, () => live?.changed(users));
    },
  };
}

/** Adds `by` (or removes, when negative) to the members' unread counts, never below zero. */
async function bumpUnread(tx: Tx, userIds: string[], by: number, at: string) {
  if (userIds.length === 0) return;
  const start = Math.max(0, by);
  await tx
    .insertInto('notificationSettings')
    .values(userIds.map((userId) => ({ userId, quietFrom: null, quietTo: null, inboxUnread: start, updatedAt: at })))
    .onConflict((oc) =>
      oc.column('userId').doUpdateSet({ inboxUnread: sql<number>`CASE WHEN notification_settings.inbox_unread + ${by} < 0 THEN 0 ELSE notification_settings.inbox_unread + ${by} END`, updatedAt: at }),
    )
    .execute();
}

const inboxUnreadOf = prepared(['userId'], (db, p: { userId: string }) => db.selectFrom('notificationSettings').select('inboxUnread').where('userId', '=', p.userId));

/** The bell's number (read on every page): unread notifications in the member's inbox. */
export async function unreadCount(db: Tx, userId: string): Promise<number> {
  const r = await inboxUnreadOf.first(db, { userId });
  return r ? Number(r.inboxUnread) : 0;
}

/**
 * Marks notifications read and lowers the count by as many as were unread in the inbox.
 * `which`: everything, one subject (a discussion, a room: what opening it reads), or ids.
 * Every open page of the member hears of it after the commit.
 */
export async function markRead(tx: Tx, userId: string, which: { all: true } | { subjectId: string } | { ids: string[] }, at: string, live?: InboxLive): Promise<number> {
  let q = tx.updateTable('notifications').set({ readAt: at }).where('userId', '=', userId).where('readAt', 'is', null);
  if ('subjectId' in which) q = q.where('subjectId', '=', which.subjectId);
  else if ('ids' in which) {
    if (which.ids.length === 0) return 0;
    q = q.where('id', 'in', which.ids);
  }
  const rows = await q.returning(['inInbox', 'subjectKind', 'subjectId']).execute();
  const n = rows.filter((r) => Number(r.inInbox) === 1).length;
  if (rows.length && live?.read) await live.read(tx, userId, [...new Set(rows.map((r) => `${r.subjectKind}:${r.subjectId}`))], at);
  if ('all' in which) await tx.updateTable('notificationSettings').set({ inboxUnread: 0, updatedAt: at }).where('userId', '=', userId).execute();
  else if (n) await bumpUnread(tx, [userId], -n, at);
  if (n || 'all' in which) afterCommit(tx, () => live?.changed([userId]));
  return n;
}

/** `n.subject_kind = k AND <visibility of k>` for every declared kind: what the inbox may show. */
export function visibleTo(actor: UserActor, subjects: SubjectVisibility): Expression<SqlBool> {
  const parts = Object.entries(subjects).map(([kind, visible]) => sql<SqlBool>`(n.subject_kind = ${kind} AND ${visible(actor, sql.ref('n.subjectId'), sql.ref('n.itemId'))})`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : sql<SqlBool>`1 = 0`;
}

/** One line of the inbox: every notification about one discussion, room or request, newest first. */
export type InboxEntry = {
  subjectKind: string;
  subjectId: string;
  /** The newest notice's content, and why it concerns the member. */
  latest: NoticeData & { type: string; reason: Reason; createdAt: string; id: string };
  /** How many notifications, and how many unread, this line gathers. */
  count: number;
  unread: number;
  /** Who acted, newest first, without repeats. */
  actors: { id: string; name: string }[];
};

const SCAN = 400;

/**
 * The member's inbox, grouped by what it is about (newest activity first), with only what
 * they may still read: each feature's visibility SQL filters inside the query. Paged by the
 * time of a line's newest notification (`before`).
 */
export async function listInbox(db: Tx, actor: UserActor, subjects: SubjectVisibility, o: { before?: string; limit: number; unreadOnly?: boolean }) {
  let q = db
    .selectFrom('notifications as n')
    .innerJoin('notices as x', 'x.id', 'n.noticeId')
    .select(['n.id', 'n.reason', 'n.subjectKind', 'n.subjectId', 'n.createdAt', 'n.readAt', 'x.type', 'x.data'])
    .where('n.userId', '=', actor.userId)
    .where('n.inInbox', '=', 1)
    .where(visibleTo(actor, subjects));
  if (o.before) q = q.where('n.createdAt', '<', o.before);
  if (o.unreadOnly) q = q.where('n.readAt', 'is', null);
  const rows = await q.orderBy('n.createdAt', 'desc').orderBy('n.id', 'desc').limit(SCAN).execute();
  const lines = new Map<string, InboxEntry>();
  for (const r of rows) {
    let data: NoticeData;
    try {
      data = JSON.parse(r.data);
    } catch {
      continue;
    }
    const k = `${r.subjectKind}|${r.subjectId}`;
    let e = lines.get(k);
    if (!e) {
      if (lines.size >= o.limit) continue;
      lines.set(k, (e = { subjectKind: r.subjectKind, subjectId: r.subjectId, latest: { ...data, type: r.type, reason: r.reason as Reason, createdAt: r.createdAt, id: r.id }, count: 0, unread: 0, actors: [] }));
    }
    e.count++;
    if (!r.readAt) e.unread++;
    if (data.actor && !e.actors.some((a) => a.id === data.actor!.id) && e.actors.length < 5) e.actors.push(data.actor);
  }
  const entries = [...lines.values()];
  const last = entries[entries.length - 1];
  return { entries, next: rows.length === SCAN || (entries.length === o.limit && last) ? (last?.latest.createdAt ?? null) : null };
}

/**
 * Brings the count back to what the inbox can show: unread notifications about things the
 * member may no longer read (they left the group, the discussion was deleted) are marked
 * read, then the unread ones are counted. Run when the inbox is opened.
 */
export async function reconcile(tx: Tx, actor: UserActor, subjects: SubjectVisibility, at: string): Promise<number> {
  const hidden = await tx
    .selectFrom('notifications as n')
    .select('n.id')
    .where('n.userId', '=', actor.userId)
    .where('n.readAt', 'is', null)
    .where((eb) => eb.not(visibleTo(actor, subjects)))
    .limit(1000)
    .execute();
  if (hidden.length) await tx.updateTable('notifications').set({ readAt: at }).where('id', 'in', hidden.map((h) => h.id)).execute();
  const c = await tx
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId', '=', actor.userId)
    .where('inInbox', '=', 1)
    .where('readAt', 'is', null)
    .executeTakeFirst();
  const n = Number(c?.n ?? 0);
  await tx
    .insertInto('notificationSettings')
    .values({ userId: actor.userId, quietFrom: null, quietTo: null, inboxUnread: n, updatedAt: at })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ inboxUnread: n, updatedAt: at }))
    .execute();
  return n;
}

/**
 * Marks read, for everyone told of it, whatever concerns one item that needs no more
 * attention (a request to join that another admin already handled).
 */
export async function markItemHandled(tx: Tx, itemId: string, at: string, live?: InboxLive): Promise<void> {
  const rows = await tx.updateTable('notifications').set({ readAt: at }).where('itemId', '=', itemId).where('readAt', 'is', null).returning(['userId', 'inInbox']).execute();
  const per = new Map<string, number>();
  for (const r of rows) if (Number(r.inInbox) === 1) per.set(r.userId, (per.get(r.userId) ?? 0) + 1);
  for (const [userId, n] of per) await bumpUnread(tx, [userId], -n, at);
  if (per.size) afterCommit(tx, () => live?.changed([...per.keys()]));
}
