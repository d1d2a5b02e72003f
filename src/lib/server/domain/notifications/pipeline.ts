import type { Tx } from '../../db/connect';
import type { Role } from '../../db/schema';
import type { Deps, EventStep } from '../../kernel/deps';
import type { RecordedEvent } from '../../kernel/events';
import { newId, type UserId } from '../../kernel/ids';
import { nextLocalHour, localParts } from '../../kernel/zoned-time';
import type { Actor } from '../../policy';
import type { Channel, Recipient } from './channel';
import type { Announcement, Notice, Notifiers } from './notice';
import { DEFAULT_CHOICES, stronger, type Reason } from './reasons';

/**
 * The notification step of every write: for each event of the transaction that a feature
 * declared a notifier for, works out once who is told, why and through which channel, and
 * writes it all in the same transaction (notice, notification rows, channel deliveries).
 *
 * Order of decisions, for each candidate: the strongest reason wins; the author is never
 * told; the policy is asked as that member (roles loaded for the whole set at once);
 * disabled accounts are skipped; the member's choice for the reason on each channel (or the
 * default) picks the channels; the same member is never told twice of the same thing.
 */
export function createPipeline(deps: Deps, o: { notifiers: Notifiers; channels: Channel[] }): EventStep {
  return {
    async run(tx, events) {
      for (const e of events) {
        const notifier = o.notifiers[e.type] as ((tx: Tx, e: RecordedEvent, d: Deps) => Promise<Announcement | null>) | undefined;
        if (!notifier) continue;
        const a = await notifier(tx, e, deps);
        if (a) await announce(tx, e, a, o.channels);
      }
    },
  };
}

/** Inside quiet hours (local `from` ≤ hour < `to`, across midnight when from > to): when they end. */
export function quietUntil(now: Date, timeZone: string, from: number | null, to: number | null): Date | null {
  if (from === null || to === null || from === to) return null;
  const h = localParts(now, timeZone).h;
  const inside = from < to ? h >= from && h < to : h >= from || h < to;
  return inside ? nextLocalHour(now, timeZone, to) : null;
}

const CHUNK = 200;

async function announce(tx: Tx, e: RecordedEvent, a: Announcement, channels: Channel[]): Promise<void> {
  // 1. Candidates, the strongest reason per member.
  const reasons = new Map<string, Reason>();
  for (const c of a.candidates) reasons.set(c.userId, reasons.has(c.userId) ? stronger(reasons.get(c.userId)!, c.reason) : c.reason);
  // Members who want every message, per channel (a 'member' reason only reaches those channels).
  const everyOn = new Map<string, Set<string>>();
  if (a.everyMessageOf)
    for (const ch of channels) {
      const ids = await ch.everyMessage(tx, a.everyMessageOf);
      if (!ids.length) continue;
      everyOn.set(ch.name, new Set(ids));
      for (const id of ids) if (!reasons.has(id)) reasons.set(id, 'member');
    }
  if (e.actorId) reasons.delete(e.actorId);
  if (reasons.size === 0) return;
  const ids = [...reasons.keys()];

  // 2. Who they are, their roles where the notice lives, their choices: a few queries for the whole set.
  const users = new Map<string, { id: string; email: string; locale: string; timeZone: string; isAdmin: number }>();
  const roles = new Map<string, Role>();
  const prefs = new Map<string, string>();
  const quiet = new Map<string, { quietFrom: number | null; quietTo: number | null }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const part = ids.slice(i, i + CHUNK);
    for (const u of await tx.selectFrom('users').select(['id', 'email', 'locale', 'timeZone', 'isAdmin']).where('id', 'in', part).where('disabledAt', 'is', null).execute()) users.set(u.id, u);
    if (a.groupId)
      for (const m of await tx.selectFrom('memberships').select(['userId', 'role']).where('groupId', '=', a.groupId).where('userId', 'in', part).execute()) roles.set(m.userId, m.role as Role);
    for (const p of await tx.selectFrom('notificationPrefs').select(['userId', 'reason', 'channel', 'value']).where('userId', 'in', part).execute()) prefs.set(`${p.userId}|${p.reason}|${p.channel}`, p.value);
    for (const q of await tx.selectFrom('notificationSettings').select(['userId', 'quietFrom', 'quietTo']).where('userId', 'in', part).where('quietFrom', 'is not', null).execute()) quiet.set(q.userId, q);
  }

  // 3. The policy, as each recipient; then their channels.
  type Told = { userId: string; reason: Reason; choices: Map<string, string> };
  const told: Told[] = [];
  for (const [userId, reason] of reasons) {
    const u = users.get(userId);
    if (!u) continue;
    const role = roles.get(userId);
    const actor: Actor = { kind: 'user', userId: userId as UserId, isAdmin: u.isAdmin === 1, roles: new Map(role && a.groupId ? [[a.groupId, role]] : []) };
    if (!a.mayRead(actor)) continue;
    const choices = new Map<string, string>();
    for (const ch of channels) {
      const name = ch.name as keyof (typeof DEFAULT_CHOICES)['member'];
      if (reason === 'member') {
        if (everyOn.get(ch.name)?.has(userId)) choices.set(ch.name, ch.name === 'inbox' ? 'on' : 'level');
        continue;
      }
      const choice = prefs.get(`${userId}|${reason}|${ch.name}`) ?? DEFAULT_CHOICES[reason][name] ?? 'off';
      if (choice !== 'off') choices.set(ch.name, choice);
    }
    if (choices.size) told.push({ userId, reason, choices });
  }
  if (told.length === 0) return;

  // 4. Never twice the same thing to the same member (an edit re-running its mentions): the
  // unique (member, dedupe key) lets only new rows in, and only those are delivered.
  const key = (t: Told) => `${t.reason}:${a.itemId ?? a.subject.id}`;
  // 5. The notice once, a notification row per member, then each channel.
  const at = e.at.toISOString();
  const notice: Notice = { id: newId(), type: e.type, subjectKind: a.subject.kind, subjectId: a.subject.id, itemId: a.itemId, groupId: a.groupId, actorId: e.actorId, data: a.data, createdAt: at };
  await tx
    .insertInto('notices')
    .values({ id: notice.id, type: notice.type, subjectKind: notice.subjectKind, subjectId: notice.subjectId, itemId: notice.itemId, groupId: notice.groupId, actorId: notice.actorId, data: JSON.stringify(notice.data), createdAt: at })
    .execute();
  const rows = told.map((t) => ({
    id: newId(),
    userId: t.userId,
    noticeId: notice.id,
    reason: t.reason,
    subjectKind: notice.subjectKind,
    subjectId: notice.subjectId,
    itemId: notice.itemId,
    groupId: notice.groupId,
    actorId: notice.actorId,
    inInbox: 0,
    mailState: null,
    dedupeKey: key(t),
    createdAt: at,
    readAt: null,
  }));
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const done = await tx
      .insertInto('notifications')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['userId', 'dedupeKey']).doNothing())
      .returning('id')
      .execute();
    for (const r of done) inserted.add(r.id);
  }
  if (inserted.size === 0) {
    await tx.deleteFrom('notices').where('id', '=', notice.id).execute();
    return;
  }
  const rowOf = new Map(rows.filter((r) => inserted.has(r.id)).map((r) => [r.userId, r.id]));
  for (const ch of channels) {
    const to: Recipient[] = [];
    for (const t of told) {
      const choice = t.choices.get(ch.name);
      const notificationId = rowOf.get(t.userId);
      if (!choice || !notificationId) continue;
      const u = users.get(t.userId)!;
      const q = quiet.get(t.userId);
      to.push({ userId: t.userId, reason: t.reason, notificationId, email: u.email, locale: u.locale, timeZone: u.timeZone, choice, quietUntil: q ? quietUntil(e.at, u.timeZone, q.quietFrom, q.quietTo) : null });
    }
    if (to.length) await ch.deliver(tx, notice, to, e.at);
  }
}
