import * as rr from 'rrule';
import type { Dialect, Tx } from '../../db/connect';
import { DomainError } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { indexItem } from '../discussions/search';
import { localParts } from '../../kernel/zoned-time';
import { storeDue, wallTime, zoneOf, type StoredDue } from './dates';
import { lockColumns, membersAmong, openGap, recordActivity, type TaskRow } from './tasks.repo';

// rrule ships CommonJS for Node and an ES build for bundlers: take whichever loaded.
const { RRule, rrulestr } = ((rr as unknown as { default?: typeof rr }).default ?? rr) as typeof rr;

/** Presets offered by forms; anything else is a custom RRULE. */
export const RECURRENCE_PRESETS = { weekly: 'FREQ=WEEKLY', monthly: 'FREQ=MONTHLY' } as const;
const ALLOWED = new Set([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);

/**
 * A recurrence as given (`''`, `weekly`, `monthly`, or an RRULE such as
 * `FREQ=WEEKLY;BYDAY=MO,TH`) → the stored rule, or null for none. Rules that repeat more
 * often than daily are refused: a task a minute is not a task.
 */
export function normalizeRecurrence(input: string | undefined): string | null | undefined {
  if (input === undefined) return undefined;
  const s = input.trim();
  if (!s || s === 'none') return null;
  if (s in RECURRENCE_PRESETS) return RECURRENCE_PRESETS[s as keyof typeof RECURRENCE_PRESETS];
  const text = s.replace(/^RRULE:/i, '');
  if (/[\r\n]/.test(text) || /DTSTART|EXDATE|RDATE/i.test(text)) throw bad('bad_recurrence');
  let rule: InstanceType<typeof RRule>;
  try {
    rule = rrulestr(`RRULE:${text}`, { dtstart: new Date(Date.UTC(2026, 0, 1)) }) as InstanceType<typeof RRule>;
  } catch {
    throw bad('bad_recurrence');
  }
  if (!ALLOWED.has(rule.options.freq)) throw bad('recurrence_too_often');
  const { dtstart: _d, ...rest } = rule.origOptions;
  return new RRule(rest).toString().replace(/^RRULE:/, '');
}
const bad = (code: string) => new DomainError('invalid', code, [{ path: 'recurrence', code }]);

/** The preset a stored rule is, or 'custom'. */
export function recurrencePreset(rule: string | null): 'none' | 'weekly' | 'monthly' | 'custom' {
  if (!rule) return 'none';
  for (const [k, v] of Object.entries(RECURRENCE_PRESETS)) if (rule === v) return k as 'weekly' | 'monthly';
  return 'custom';
}

/**
 * The due date of the occurrence after this one: the rule runs in the group's wall-clock time
 * from the series' first due date (so COUNT and UNTIL keep their meaning), and the next date is
 * the first one after both this occurrence and now (a task done late does not spawn the
 * occurrences it missed). Null when the rule has ended.
 */
export function nextDue(rule: string, seriesStart: { dueAt: string; hasTime: boolean }, current: { dueAt: string }, now: Date, timeZone: string): StoredDue | null {
  const wall = (iso: string | Date) => {
    const p = localParts(typeof iso === 'string' ? new Date(iso) : iso, timeZone);
    return new Date(Date.UTC(p.y, p.m - 1, p.d, p.h, p.min));
  };
  // A day without a time is stored as the start of the day: a minute in, it is safely that day.
  const shift = seriesStart.hasTime ? 0 : 60_000;
  const start = wall(new Date(Date.parse(seriesStart.dueAt) + shift));
  const after = [wall(new Date(Date.parse(current.dueAt) + shift)), wall(now)].sort((a, b) => b.getTime() - a.getTime())[0];
  let r: InstanceType<typeof RRule>;
  try {
    r = rrulestr(`RRULE:${rule}`, { dtstart: start }) as InstanceType<typeof RRule>;
  } catch {
    return null;
  }
  const next = r.after(after, false);
  if (!next) return null;
  const day = { y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate() };
  if (!seriesStart.hasTime) return storeDue(day, null, timeZone);
  const at = wallTime(day.y, day.m, day.d, next.getUTCHours(), next.getUTCMinutes(), timeZone).toISOString();
  return { dueAt: at, hasTime: true, overdueAt: at };
}

/**
 * Makes the next occurrence of a recurring task, at most once: the task's `next_task_id` is
 * claimed with a compare-and-set before anything is written, and the series' (first task,
 * due date) pair is unique, so a completion and the scheduler, or two processes, never make
 * it twice. The occurrence starts in the board's first open column, at the top, with the
 * same title, text, priority, labels, checklist (unchecked) and the assignees who are still
 * members. Returns its id, or null when there is none to make.
 */
export async function spawnNext(tx: Tx, dialect: Dialect, t: TaskRow, now: Date): Promise<string | null> {
  if (!t.recurrence || !t.dueAt || t.nextTaskId || t.deletedAt) return null;
  const zone = zoneOf(t.group);
  const seriesId = t.seriesId ?? t.id;
  const first = seriesId === t.id ? t : await tx.selectFrom('tasks').select(['dueAt', 'dueHasTime']).where('id', '=', seriesId).executeTakeFirst();
  const start = first?.dueAt ? { dueAt: first.dueAt, hasTime: Number(first.dueHasTime) === 1 } : { dueAt: t.dueAt, hasTime: Number(t.dueHasTime) === 1 };
  const due = nextDue(t.recurrence, start, { dueAt: t.dueAt }, now, zone);
  if (!due) return null;
  const column = await tx.selectFrom('taskColumns').select('id').where('groupId', '=', t.groupId).where('isDone', '=', 0).orderBy('position').limit(1).executeTakeFirst();
  if (!column) return null;
  // Column before row, as every writer does (PostgreSQL), then the claim.
  await lockColumns(tx, dialect, [column.id]);
  const id = newId();
  const claimed = await tx.updateTable('tasks').set({ nextTaskId: id }).where('id', '=', t.id).where('nextTaskId', 'is', null).executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return null;
  const at = now.toISOString();
  await openGap(tx, column.id, 0, id);
  const items = await tx.selectFrom('taskChecklistItems').selectAll().where('taskId', '=', t.id).orderBy('position').execute();
  const delta = Date.parse(due.dueAt) - Date.parse(t.dueAt);
  await tx
    .insertInto('tasks')
    .values({
      id, groupId: t.groupId, columnId: column.id, position: 0, title: t.title, description: t.description, descriptionHtml: t.descriptionHtml, priority: t.priority,
      dueAt: due.dueAt, dueHasTime: due.hasTime ? 1 : 0, overdueAt: due.overdueAt, authorId: t.authorId, version: 1, completedAt: null, completedBy: null, deletedAt: null, deletedBy: null,
      originKind: null, originId: null, originDiscussionId: null, recurrence: t.recurrence, seriesId, nextTaskId: null, commentCount: 0, checklistCount: items.length, checklistDone: 0, createdAt: at, updatedAt: at,
    })
    .execute();
  const assignees = await tx.selectFrom('taskAssignees').select('userId').where('taskId', '=', t.id).execute();
  const still = await membersAmong(tx, t.groupId, assignees.map((a) => a.userId));
  if (still.size) await tx.insertInto('taskAssignees').values([...still].map((userId) => ({ taskId: id, userId, createdAt: at }))).execute();
  const labels = await tx.selectFrom('taskLabelLinks').select('labelId').where('taskId', '=', t.id).execute();
  if (labels.length) await tx.insertInto('taskLabelLinks').values(labels.map((l) => ({ taskId: id, labelId: l.labelId }))).execute();
  if (items.length)
    await tx
      .insertInto('taskChecklistItems')
      .values(items.map((x) => ({ id: newId(), taskId: id, position: x.position, text: x.text, done: 0, assigneeId: x.assigneeId && still.has(x.assigneeId) ? x.assigneeId : null, dueAt: x.dueAt ? new Date(Date.parse(x.dueAt) + delta).toISOString() : null, dueHasTime: x.dueHasTime, doneAt: null, doneBy: null, createdAt: at })))
      .execute();
  await recordActivity(tx, id, null, 'created', { recurrenceOf: t.id }, at);
  await indexItem(tx, { docId: id, kind: 'task', groupId: t.groupId, discussionId: '', taskId: id, title: t.title, body: t.description, createdAt: at });
  await recordEvent(tx, { type: 'task.created', groupId: t.groupId, actorId: null, data: { taskId: id, columnId: column.id, mentioned: [] } }, now);
  return id;
}
