import { inTx, type Deps } from '../../kernel/deps';
import { recordEvent } from '../../kernel/outbox';
import { localParts } from '../../kernel/zoned-time';
import { isTimeZone, nextDay, parseDay, showDue, wallTime, zoneOf } from './dates';
import { spawnNext } from './recurrence';
import { findTask } from './tasks.repo';
import { DEFAULT_REMINDER_HOUR } from '../notifications';

const DAY = 86_400_000;
/** A task overdue for longer than this gets no overdue reminder any more (nor after a long stop of the server). */
export const OVERDUE_REMINDER_DAYS = 7;

type Candidate = { taskId: string; groupTimeZone: string | null; dueAt: string; dueHasTime: number; overdueAt: string; userId: string; since: string; timeZone: string; hour: number };

/** `hour`:00 on the local day `day` in a time zone. */
const atHour = (day: { y: number; m: number; d: number }, hour: number, tz: string) => wallTime(day.y, day.m, day.d, hour, 0, tz);

/**
 * When a member is reminded of a task, in their own time zone and at their own hour:
 * "soon" on the day before the due date (the group's day for a due day, the member's day of a
 * due time), and "overdue" when it is (a due time: at once; a due day: at their hour on the
 * day after). Null when that reminder does not apply.
 */
export function reminderTimes(c: Pick<Candidate, 'dueAt' | 'dueHasTime' | 'overdueAt' | 'timeZone' | 'hour' | 'groupTimeZone'>): { soon: Date; overdue: Date } {
  const tz = isTimeZone(c.timeZone) ? c.timeZone : zoneOf({});
  const hasTime = Number(c.dueHasTime) === 1;
  const dueDay = hasTime ? (() => {
    const p = localParts(new Date(c.dueAt), tz);
    return { y: p.y, m: p.m, d: p.d };
  })() : parseDay(showDue(c.dueAt, false, zoneOf({ timeZone: c.groupTimeZone })).date)!;
  const before = new Date(Date.UTC(dueDay.y, dueDay.m - 1, dueDay.d - 1));
  const soon = atHour({ y: before.getUTCFullYear(), m: before.getUTCMonth() + 1, d: before.getUTCDate() }, c.hour, tz);
  let overdue = new Date(c.overdueAt);
  if (!hasTime) {
    const after = nextDay(dueDay);
    const local = atHour(after, c.hour, tz);
    if (local > overdue) overdue = local;
  }
  return { soon, overdue };
}

/**
 * The periodic work of tasks, safe to run on every process at once (each step is claimed in
 * the database): reminders (a row per task, member, kind and due date, inserted once; the
 * event that tells the member is recorded in the same transaction, so the pipeline turns it
 * into an inbox line and a mail exactly once) and the next occurrences of recurring tasks
 * whose date has come (claimed by `spawnNext`).
 */
export function createTaskScheduler(deps: Deps) {
  const { db, clock } = deps;

  /** Sends the reminders that are due. Returns how many. */
  async function reminders(limit = 1000): Promise<number> {
    const now = clock.now();
    const iso = now.toISOString();
    // Due within the next days (the day before, in any time zone) or overdue for less than a week.
    const from = new Date(now.getTime() - (OVERDUE_REMINDER_DAYS + 1) * DAY).toISOString();
    const to = new Date(now.getTime() + 3 * DAY).toISOString();
    const base = () =>
      db
        .selectFrom('tasks as t')
        .innerJoin('groups as g', 'g.id', 't.groupId')
        .where('t.completedAt', 'is', null)
        .where('t.deletedAt', 'is', null)
        .where('t.overdueAt', '>', from)
        .where('t.dueAt', '<', to);
    const assigned = await base()
      .innerJoin('taskAssignees as a', 'a.taskId', 't.id')
      .innerJoin('users as u', 'u.id', 'a.userId')
      .leftJoin('notificationSettings as ns', 'ns.userId', 'u.id')
      .select(['t.id as taskId', 'g.timeZone as groupTimeZone', 't.dueAt', 't.dueHasTime', 't.overdueAt', 'a.userId', 'a.createdAt as since', 'u.timeZone', 'ns.reminderHour as hour'])
      .where('u.disabledAt', 'is', null)
      .limit(limit)
      .execute();
    // Nobody took it: its author hears when it is overdue.
    const orphans = await base()
      .innerJoin('users as u', 'u.id', 't.authorId')
      .leftJoin('notificationSettings as ns', 'ns.userId', 'u.id')
      .select(['t.id as taskId', 'g.timeZone as groupTimeZone', 't.dueAt', 't.dueHasTime', 't.overdueAt', 't.authorId as userId', 't.createdAt as since', 'u.timeZone', 'ns.reminderHour as hour'])
      .where('u.disabledAt', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('taskAssignees as x').select('x.taskId').whereRef('x.taskId', '=', 't.id'))))
      .limit(limit)
      .execute();
    const due: { c: Candidate; kind: 'soon' | 'overdue' }[] = [];
    for (const [list, kinds] of [[assigned, ['soon', 'overdue']], [orphans, ['overdue']]] as const)
      for (const r of list) {
        const c = { ...r, dueAt: r.dueAt!, overdueAt: r.overdueAt!, hour: r.hour === null || r.hour === undefined ? DEFAULT_REMINDER_HOUR : Number(r.hour) } as Candidate;
        const at = reminderTimes(c);
        if ((kinds as readonly string[]).includes('soon') && now >= at.soon && iso < c.overdueAt && c.since < at.soon.toISOString()) due.push({ c, kind: 'soon' });
        if (now >= at.overdue && now.getTime() - Date.parse(c.overdueAt) < OVERDUE_REMINDER_DAYS * DAY && c.since < at.overdue.toISOString()) due.push({ c, kind: 'overdue' });
      }
    if (!due.length) return 0;
    const sent = new Set(
      (await db.selectFrom('taskReminders').select(['taskId', 'userId', 'kind', 'dueAt']).where('taskId', 'in', [...new Set(due.map((d) => d.c.taskId))]).execute()).map((r) => `${r.taskId}|${r.userId}|${r.kind}|${r.dueAt}`),
    );
    let n = 0;
    for (const { c, kind } of due) {
      if (sent.has(`${c.taskId}|${c.userId}|${kind}|${c.dueAt}`)) continue;
      const told = await inTx(deps, async (tx) => {
        const claimed = await tx
          .insertInto('taskReminders')
          .values({ taskId: c.taskId, userId: c.userId, kind, dueAt: c.dueAt, createdAt: iso })
          .onConflict((oc) => oc.columns(['taskId', 'userId', 'kind', 'dueAt']).doNothing())
          .returning('taskId')
          .executeTakeFirst();
        if (!claimed) return false;
        const t = await findTask(tx, c.taskId);
        if (!t || t.deletedAt || t.completedAt || t.dueAt !== c.dueAt) return false;
        await recordEvent(tx, { type: 'task.reminder', groupId: t.groupId, actorId: null, data: { taskId: t.id, userId: c.userId, kind, dueAt: c.dueAt } }, now);
        return true;
      });
      if (told) n++;
    }
    return n;
  }

  /** Makes the next occurrence of recurring tasks whose date has come. Returns how many. */
  async function recurrences(limit = 200): Promise<number> {
    const now = clock.now();
    const rows = await db
      .selectFrom('tasks')
      .select('id')
      .where('recurrence', 'is not', null)
      .where('nextTaskId', 'is', null)
      .where('deletedAt', 'is', null)
      .where('dueAt', '<=', now.toISOString())
      .orderBy('dueAt')
      .limit(limit)
      .execute();
    let n = 0;
    for (const r of rows) {
      const made = await inTx(deps, async (tx) => {
        const t = await findTask(tx, r.id);
        return t ? spawnNext(tx, deps.dialect, t, now) : null;
      });
      if (made) n++;
    }
    return n;
  }

  return {
    reminders,
    recurrences,
    /** One scheduler tick: reminders, then recurrences. */
    async tick(): Promise<{ reminders: number; recurrences: number }> {
      return { reminders: await reminders(), recurrences: await recurrences() };
    },
  };
}
