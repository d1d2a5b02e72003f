import { localParts } from '../../kernel/zoned-time';

/**
 * Wall-clock times in a time zone. Events and date poll options are proposed as local dates
 * and times ("Tuesday 3 March at 19:00, Brussels time"); they are stored as that local value
 * and as the UTC instant, so a weekly meeting stays at 19:00 across daylight-saving changes
 * and each member sees it in their own zone.
 */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** True for a time zone Intl knows. */
export function isTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** 'YYYY-MM-DD' that names a real day (no 31 February), or null. */
export function parseDate(s: string): { y: number; m: number; d: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1) return null;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? { y, m: mo, d } : null;
}

/** 'HH:MM' (24 h), or null. */
export function parseTime(s: string): { h: number; min: number } | null {
  const m = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? { h, min } : null;
}

/**
 * The UTC instant of a local date and time in a zone. A local time that does not exist (the
 * hour skipped when clocks go forward) lands just after the gap; an ambiguous one (clocks go
 * back) takes the first of the two.
 */
export function localToUtc(date: string, time: string, timeZone: string): Date {
  const d = parseDate(date);
  const t = time ? parseTime(time) : { h: 0, min: 0 };
  if (!d || !t) throw new Error(`bad local time ${date} ${time}`);
  const guess = Date.UTC(d.y, d.m - 1, d.d, t.h, t.min);
  const offsetAt = (ms: number) => {
    const p = localParts(new Date(ms), timeZone);
    return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min) - Math.floor(ms / 60_000) * 60_000;
  };
  const first = guess - offsetAt(guess);
  const second = guess - offsetAt(first);
  // Two candidates around a change: keep the earlier one that shows the asked wall time.
  const ok = (ms: number) => {
    const p = localParts(new Date(ms), timeZone);
    return p.y === d.y && p.m === d.m && p.d === d.d && p.h === t.h && p.min === t.min;
  };
  if (ok(first) && ok(second)) return new Date(Math.min(first, second));
  if (ok(second)) return new Date(second);
  if (ok(first)) return new Date(first);
  return new Date(second);
}

/** The local date 'YYYY-MM-DD' and time 'HH:MM' of an instant in a zone. */
export function utcToLocal(at: Date, timeZone: string): { date: string; time: string } {
  const p = localParts(at, timeZone);
  return { date: `${p.y}-${pad(p.m)}-${pad(p.d)}`, time: `${pad(p.h)}:${pad(p.min)}` };
}

/** 'YYYY-MM-DDTHH:MM' → its parts ('YYYY-MM-DD' alone is midnight). */
export function splitLocal(s: string): { date: string; time: string } {
  const [date, time = ''] = s.split('T');
  return { date, time };
}

/** Adds days to a local date. */
export function addDays(date: string, days: number): string {
  const d = parseDate(date)!;
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** A local 'YYYY-MM-DDTHH:MM' as a "floating" Date (its UTC fields are the wall-clock fields), for rrule. */
export function floating(local: string): Date {
  const { date, time } = splitLocal(local);
  const d = parseDate(date)!;
  const t = time ? parseTime(time)! : { h: 0, min: 0 };
  return new Date(Date.UTC(d.y, d.m - 1, d.d, t.h, t.min));
}

/** The local 'YYYY-MM-DDTHH:MM' (or date only) of a floating Date. */
export function fromFloating(d: Date, allDay: boolean): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return allDay ? date : `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The UTC instant of a local 'YYYY-MM-DDTHH:MM' (an all-day date: its midnight). */
export function localKeyToUtc(local: string, timeZone: string): Date {
  const { date, time } = splitLocal(local);
  return localToUtc(date, time, timeZone);
}

/** First and last day of a month 'YYYY-MM', or null. */
export function monthRange(month: string): { first: string; last: string; y: number; m: number } | null {
  const mm = /^(\d{4})-(\d{2})$/.exec(month);
  if (!mm) return null;
  const y = Number(mm[1]);
  const m = Number(mm[2]);
  if (m < 1 || m > 12 || y < 1900 || y > 2200) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${y}-${pad(m)}-01`, last: `${y}-${pad(m)}-${pad(last)}`, y, m };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function weekdayOf(date: string): number {
  const d = parseDate(date)!;
  const wd = new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}
