import * as rrulePkg from 'rrule';
import { invalidField } from '../../kernel/errors';
import { addDays, floating, fromFloating, localKeyToUtc, localToUtc, parseDate, utcToLocal } from './time';

// rrule ships CommonJS for Node and ES modules for bundlers: take it from whichever loaded.
const { RRule, Frequency } = ((rrulePkg as unknown as { default?: typeof rrulePkg }).default ?? rrulePkg) as typeof rrulePkg;

/**
 * Recurring events (RFC 5545 RRULE, through `rrule`). A series is expanded in its own time
 * zone's wall-clock time ("every Tuesday at 19:00" stays at 19:00 when clocks change): the
 * rule runs over "floating" dates whose UTC fields are the local ones, and each occurrence is
 * then placed in the zone. An occurrence is named by its original local start
 * ('YYYY-MM-DDTHH:MM', or the date for an all-day event): the key of its exceptions, RSVPs and
 * agenda, and its RECURRENCE-ID in calendars.
 */

/** Occurrences computed at most per query, and in a whole series. */
export const MAX_OCCURRENCES = 500;
const FREQS = { daily: Frequency.DAILY, weekly: Frequency.WEEKLY, monthly: Frequency.MONTHLY, yearly: Frequency.YEARLY } as const;
export const FAR = '9999-12-31T00:00:00.000Z';

export type Recurrence = { repeat?: 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly'; interval?: number; repeatUntil?: string; repeatCount?: number; rrule?: string };
export type SeriesFacts = { localStart: string; allDay: number; timeZone: string; rrule: string };

/** `RRULE:` text without DTSTART, UNTIL in UTC (as RFC 5545 wants when DTSTART has a TZID). */
const ruleText = (r: InstanceType<typeof RRule>) =>
  r
    .toString()
    .split('\n')
    .filter((l) => !l.startsWith('DTSTART'))
    .join('')
    .replace(/^RRULE:/, '');

/**
 * The stored rule of a series from the form (every day, week, month or year, every N, until
 * a date or N times) or from an RRULE written by hand; '' for a single event. Refuses rules
 * more frequent than daily, an end before the start, and unreadable text.
 */
export function ruleFrom(r: Recurrence, localStart: string, timeZone: string): string {
  if (r.rrule) {
    let opts;
    try {
      opts = RRule.parseString(r.rrule.replace(/^RRULE:/i, '').trim());
    } catch {
      return invalidField('rrule', 'bad_rrule');
    }
    if (opts.freq === undefined || opts.freq > Frequency.DAILY || (opts.freq as number) < Frequency.YEARLY) invalidField('rrule', 'bad_rrule');
    if (opts.dtstart || opts.tzid) invalidField('rrule', 'bad_rrule');
    if (opts.until && opts.until.getTime() < localKeyToUtc(localStart, timeZone).getTime()) invalidField('rrule', 'bad_range');
    return ruleText(new RRule(opts));
  }
  if (!r.repeat || r.repeat === 'none') return '';
  const opts: ConstructorParameters<typeof RRule>[0] = { freq: FREQS[r.repeat], interval: r.interval ?? 1 };
  if (r.repeatUntil) {
    if (!parseDate(r.repeatUntil)) invalidField('repeatUntil', 'bad_date');
    if (r.repeatUntil < localStart.slice(0, 10)) invalidField('repeatUntil', 'bad_range');
    // Until the end of that day, where the event takes place.
    opts.until = new Date(localToUtc(addDays(r.repeatUntil, 1), '', timeZone).getTime() - 1000);
  } else if (r.repeatCount) opts.count = r.repeatCount;
  return ruleText(new RRule(opts));
}

/** The rule of a series over floating dates, its UNTIL brought to the zone's wall clock. */
function floatingRule(s: SeriesFacts) {
  const opts = RRule.parseString(s.rrule);
  opts.dtstart = floating(s.localStart);
  if (opts.until) opts.until = floating(`${utcToLocal(opts.until, s.timeZone).date}T${utcToLocal(opts.until, s.timeZone).time}`);
  if (!opts.count && !opts.until) opts.count = undefined;
  return new RRule(opts);
}

/** Occurrence keys of a series whose start falls within two days of [from, to] (callers filter exactly). */
export function occurrenceKeys(s: SeriesFacts, from: Date, to: Date, limit = MAX_OCCURRENCES): string[] {
  if (!s.rrule) return [s.localStart];
  const a = utcToLocal(new Date(from.getTime() - 2 * 86_400_000), s.timeZone);
  const b = utcToLocal(new Date(to.getTime() + 2 * 86_400_000), s.timeZone);
  const out: string[] = [];
  floatingRule(s).between(floating(`${a.date}T${a.time}`), floating(`${b.date}T${b.time}`), true, (d) => {
    out.push(fromFloating(d, s.allDay === 1));
    return out.length < limit;
  });
  return out;
}

/** Whether `key` is an occurrence of the series (a form or a link may name any string). */
export function isOccurrence(s: SeriesFacts, key: string): boolean {
  if (!s.rrule) return key === '' || key === s.localStart;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(key) || !parseDate(key.slice(0, 10))) return false;
  const at = localKeyToUtc(key, s.timeZone);
  return occurrenceKeys(s, at, at, 50).includes(key);
}

/** The local start of the series' last occurrence, or null when it never ends. */
export function lastOccurrence(s: SeriesFacts): string | null {
  if (!s.rrule) return s.localStart;
  const r = floatingRule(s);
  if (!r.options.count && !r.options.until) return null;
  let last: Date | null = null;
  let n = 0;
  r.all((d) => {
    last = d;
    return ++n < 5000;
  });
  return last ? fromFloating(last, s.allDay === 1) : s.localStart;
}

/** Human parts of a stored rule, for forms: frequency, interval, until (local date) or count. */
export function describeRule(rule: string, timeZone: string): { repeat: 'none' | 'daily' | 'weekly' | 'monthly' | 'yearly'; interval: number; until: string | null; count: number | null; custom: boolean } {
  if (!rule) return { repeat: 'none', interval: 1, until: null, count: null, custom: false };
  const o = RRule.parseString(rule);
  const repeat = (Object.entries(FREQS).find(([, f]) => f === o.freq)?.[0] ?? 'weekly') as 'daily';
  const simple = Object.keys(o).every((k) => ['freq', 'interval', 'until', 'count'].includes(k));
  return { repeat, interval: o.interval ?? 1, until: o.until ? utcToLocal(o.until, timeZone).date : null, count: o.count ?? null, custom: !simple };
}
