import type { Tx } from '../../db/connect';
import { inTx } from '../../kernel/deps';
import { recordEvent } from '../../kernel/outbox';
import type { Ctx } from './context';
import { attendeeIds } from './events';
import { eventsInRange, exceptionsOf, expand } from './occurrences';
import { addDays, localToUtc, utcToLocal } from './time';

/** How often the reminder sweep runs (a durable job that schedules the next one). */
export const TICK_MS = 5 * 60_000;
const HOUR = 3_600_000;
/** The hour a member is reminded the day before, when they chose no digest hour. */
export const DEFAULT_REMINDER_HOUR = 8;

/**
 * Reminders, from a sweep that runs every few minutes as a durable job ('decide.tick',
 * one per five-minute slot whatever the number of processes; each run enqueues the next).
 * What was sent is remembered (`decide_reminders`, one key per reminder and member), so a
 * reminder goes once even when two sweeps overlap:
 * - a poll, proposal or date poll: once, to members who have not answered, when less than a
 *   day is left and at least half its time has passed; its author when the deadline passes;
 * - an event: the day before at the member's hour (their digest hour, 8:00 by default, in
 *   their zone) and one hour before, to those who said yes or maybe (a meeting's agenda
 *   goes with it).
 */
export function createReminders(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;

  /** Keeps the keys not yet used (inserting them), in the caller's transaction. */
  async function claim(tx: Tx, keys: string[], at: string): Promise<Set<string>> {
    const fresh = new Set<string>();
    for (const key of keys) {
      const r = await tx.insertInto('decideReminders').values({ key, createdAt: at }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) fresh.add(key);
    }
    return fresh;
  }

  async function notAnswered(tx: Tx, p: { id: string; groupId: string; kind: string }): Promise<string[]> {
    const members = (await tx.selectFrom('memberships').select('userId').where('groupId', '=', p.groupId).execute()).map((r) => r.userId);
    const table = p.kind === 'date' ? 'pollParticipants' : p.kind === 'choice' ? 'pollVoters' : 'pollResponses';
    const done = new Set((await tx.selectFrom(table).select('userId').where('pollId', '=', p.id).execute()).map((r) => r.userId));
    return members.filter((m) => !done.has(m));
  }

  async function polls(now: Date): Promise<number> {
    const iso = now.toISOString();
    const soon = new Date(now.getTime() + 24 * HOUR).toISOString();
    const rows = await db.selectFrom('polls').select(['id', 'groupId', 'kind', 'createdAt', 'deadlineAt', 'authorId']).where('deletedAt', 'is', null).where('closedAt', 'is', null).where('deadlineAt', 'is not', null).where('deadlineAt', '<=', soon).execute();
    let n = 0;
    for (const p of rows) {
      const deadline = Date.parse(p.deadlineAt!);
      if (deadline <= now.getTime()) {
        await inTx(deps, async (tx) => {
          if ((await claim(tx, [`poll:${p.id}:deadline`], iso)).size) {
            await recordEvent(tx, { type: 'poll.deadline_passed', groupId: p.groupId, actorId: null, data: { pollId: p.id } }, now);
            n++;
          }
        });
        continue;
      }
      // Not before half its time has passed: a poll open for two hours is not reminded at once.
      if (now.getTime() < (Date.parse(p.createdAt) + deadline) / 2) continue;
      await inTx(deps, async (tx) => {
        if (!(await claim(tx, [`poll:${p.id}:reminder`], iso)).size) return;
        const userIds = await notAnswered(tx, p);
        if (userIds.length) await recordEvent(tx, { type: 'poll.reminder_due', groupId: p.groupId, actorId: null, data: { pollId: p.id, userIds } }, now);
        n++;
      });
    }
    return n;
  }

  /** Each member's reminder hour and zone. */
  async function hours(tx: Tx, userIds: string[]): Promise<Map<string, { hour: number; timeZone: string }>> {
    const out = new Map<string, { hour: number; timeZone: string }>();
    if (!userIds.length) return out;
    const users = await tx.selectFrom('users').select(['id', 'timeZone']).where('id', 'in', userIds).execute();
    const settings = new Map((await tx.selectFrom('emailSettings').select(['userId', 'digestHour']).where('userId', 'in', userIds).execute()).map((s) => [s.userId, Number(s.digestHour)]));
    for (const u of users) out.set(u.id, { hour: settings.get(u.id) ?? DEFAULT_REMINDER_HOUR, timeZone: u.timeZone });
    return out;
  }

  async function events(now: Date): Promise<number> {
    const iso = now.toISOString();
    const groups = (await db.selectFrom('calendarEvents').select('groupId').distinct().where('status', '=', 'confirmed').where('seriesEndAt', '>=', iso).where('startsAt', '<=', new Date(now.getTime() + 50 * HOUR).toISOString()).execute()).map((r) => r.groupId);
    if (!groups.length) return 0;
    const to = new Date(now.getTime() + 50 * HOUR);
    const rows = await eventsInRange(db, groups, now, to);
    const occs = expand(rows, await exceptionsOf(db, rows.map((e) => e.id)), now, to).filter((o) => o.startsAt > iso && o.startsAt <= to.toISOString());
    let n = 0;
    for (const o of occs) {
      const start = Date.parse(o.startsAt);
      const base = `event:${o.eventId}:${o.key}`;
      await inTx(deps, async (tx) => {
        const who = await attendeeIds(tx, o.eventId, o.key);
        if (!who.length) return;
        if (start - HOUR <= now.getTime()) {
          if ((await claim(tx, [`${base}:hour`], iso)).size) {
            await recordEvent(tx, { type: 'event.reminder_due', groupId: o.groupId, actorId: null, data: { eventId: o.eventId, occurrence: o.key, when: 'hour', userIds: who } }, now);
            n++;
          }
          return;
        }
        // The day before, at each member's hour in their zone.
        const due: string[] = [];
        for (const [userId, h] of await hours(tx, who)) {
          const day = addDays(utcToLocal(new Date(start), h.timeZone).date, -1);
          const at = localToUtc(day, `${String(h.hour).padStart(2, '0')}:00`, h.timeZone);
          // Asked after that hour (an event tomorrow created tonight): still once, as long as it is the eve locally.
          if (at.getTime() <= now.getTime() && utcToLocal(now, h.timeZone).date === day) due.push(userId);
        }
        const fresh = await claim(tx, due.map((u) => `${base}:day:${u}`), iso);
        const userIds = due.filter((u) => fresh.has(`${base}:day:${u}`));
        if (userIds.length) {
          await recordEvent(tx, { type: 'event.reminder_due', groupId: o.groupId, actorId: null, data: { eventId: o.eventId, occurrence: o.key, when: 'day', userIds } }, now);
          n++;
        }
      });
    }
    return n;
  }

  return {
    /** One sweep: reminders and deadlines due now. Returns how many notices it recorded. */
    async tick(): Promise<number> {
      const now = clock.now();
      return (await polls(now)) + (await events(now));
    },

    /**
     * Enqueues the sweep of the five-minute slot that holds `at` (the job id names the slot,
     * so every process may call this and one job is written). Returns true when it enqueued.
     */
    async scheduleTick(at: Date = clock.now()): Promise<boolean> {
      const slot = new Date(Math.floor(at.getTime() / TICK_MS) * TICK_MS);
      const now = clock.now().toISOString();
      const r = await db
        .insertInto('jobs')
        .values({ id: `decide.tick:${slot.toISOString()}`, kind: 'decide.tick', payload: JSON.stringify({ at: slot.toISOString() }), runAt: slot.toISOString(), attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null, createdAt: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}
