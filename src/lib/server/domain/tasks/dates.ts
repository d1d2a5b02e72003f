import { DomainError } from '../../kernel/errors';
import { localParts } from '../../kernel/zoned-time';

/**
 * Due dates as people give them: a day ("by Friday"), or a day and a time ("Friday 18:00"),
 * read in the group's time zone (Europe/Brussels unless the group has its own). Stored as the
 * UTC instant plus whether it has a time; a day without a time is stored as the start of that
 * day and becomes overdue only when the whole day has passed there.
 */
export const DEFAULT_TIME_ZONE = 'Europe/Brussels';

/** A due date as stored: the instant, whether a time was given, and when it becomes overdue. */
export type StoredDue = { dueAt: string; hasTime: boolean; overdueAt: string };

const tzCache = new Map<string, boolean>();
/** True for an IANA time zone this runtime knows. */
export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length === 0 || tz.length > 64) return false;
  let ok = tzCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    tzCache.set(tz, ok);
  }
  return ok;
}

/** The group's time zone, or the default. */
export const zoneOf = (g: { timeZone?: string | null }) => (g.timeZone && isTimeZone(g.timeZone) ? g.timeZone : DEFAULT_TIME_ZONE);

/** The UTC instant of the local wall time y-m-d h:min in a time zone (across DST changes). */
export function wallTime(y: number, m: number, d: number, h: number, min: number, timeZone: string): Date {
  const guess = Date.UTC(y, m - 1, d, h, min);
  const offsetAt = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min) - Math.floor(t / 60_000) * 60_000;
  };
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return new Date(t);
}

/** `YYYY-MM-DD` → its parts, or null when it is not a real calendar date (2026-02-30). */
export function parseDay(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 2000 || y > 2200 || mo < 1 || mo > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days ? { y, m: mo, d } : null;
}

/** `HH:MM` → its parts, or null. */
export function parseClock(s: string): { h: number; min: number } | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? { h, min } : null;
}

/** The day after y-m-d. */
export function nextDay(p: { y: number; m: number; d: number }) {
  const t = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** A due date from a day and an optional time, read in `timeZone`. The inputs were validated. */
export function storeDue(day: { y: number; m: number; d: number }, clock: { h: number; min: number } | null, timeZone: string): StoredDue {
  if (clock) {
    const at = wallTime(day.y, day.m, day.d, clock.h, clock.min, timeZone).toISOString();
    return { dueAt: at, hasTime: true, overdueAt: at };
  }
  const start = wallTime(day.y, day.m, day.d, 0, 0, timeZone);
  const n = nextDay(day);
  return { dueAt: start.toISOString(), hasTime: false, overdueAt: wallTime(n.y, n.m, n.d, 0, 0, timeZone).toISOString() };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** How a stored due date reads in a time zone: `YYYY-MM-DD` and `HH:MM` (null without a time). */
export function showDue(dueAt: string, hasTime: boolean, timeZone: string): { date: string; time: string | null } {
  // A day without a time is the start of that day where it was set; a few minutes later is safely inside it.
  const p = localParts(new Date(Date.parse(dueAt) + (hasTime ? 0 : 60_000)), timeZone);
  return { date: `${p.y}-${pad(p.m)}-${pad(p.d)}`, time: hasTime ? `${pad(p.h)}:${pad(p.min)}` : null };
}

/** The local calendar day of an instant in a time zone. */
export function localDay(at: Date, timeZone: string) {
  const p = localParts(at, timeZone);
  return { y: p.y, m: p.m, d: p.d };
}

/** The current week (Monday 00:00 to the next Monday 00:00) around `now`, in a time zone. */
export function weekAround(now: Date, timeZone: string): { start: string; end: string } {
  const p = localParts(now, timeZone);
  const monday = new Date(Date.UTC(p.y, p.m - 1, p.d - (p.weekday - 1)));
  const next = new Date(monday.getTime() + 7 * 86_400_000);
  return {
    start: wallTime(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, 0, timeZone).toISOString(),
    end: wallTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone).toISOString(),
  };
}

/**
 * A due date from form or API fields: `undefined` when neither was sent (no change), `null`
 * when the date is empty (no due date), else the stored form. A time needs a date.
 */
export function dueFromInput(dueDate: string | undefined, dueTime: string | undefined, timeZone: string, field = 'dueDate'): StoredDue | null | undefined {
  if (dueDate === undefined && dueTime === undefined) return undefined;
  const date = (dueDate ?? '').trim();
  const time = (dueTime ?? '').trim();
  if (!date) {
    if (time) throw invalidDue(field, 'due_time_without_date');
    return null;
  }
  const day = parseDay(date);
  if (!day) throw invalidDue(field, 'bad_date');
  let clock: { h: number; min: number } | null = null;
  if (time) {
    clock = parseClock(time);
    if (!clock) throw invalidDue(field === 'dueDate' ? 'dueTime' : field, 'bad_time');
  }
  return storeDue(day, clock, timeZone);
}

const invalidDue = (path: string, code: string) => new DomainError('invalid', code, [{ path, code }]);
