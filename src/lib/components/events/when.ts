/**
 * Dates and times of events and date poll slots, in the reader's language and zone. A whole
 * day is shown as its date where it takes place (it has no hour to convert); a time slot is
 * converted to the reader's zone, with the place's own time added when the zones differ.
 */
export type When = { startsAt: string | null; endsAt?: string | null; allDay: boolean; localStart?: string; localEnd?: string; localDate?: string; timeZone?: string };

const tag = (locale: string) => (locale === 'en' ? 'en-GB' : locale === 'nl' ? 'nl-BE' : 'fr-BE');
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: string, o: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(o)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(tag(locale), o);
    if (cache.size > 200) cache.clear();
    cache.set(key, f);
  }
  return f;
}
/** A local date 'YYYY-MM-DD' as a Date at noon UTC (formatted in UTC, it is that day everywhere). */
const day = (d: string) => new Date(`${d.slice(0, 10)}T12:00:00Z`);
const sameDay = (a: Date, b: Date, tz: string) => fmt('en', { timeZone: tz, dateStyle: 'short' }).format(a) === fmt('en', { timeZone: tz, dateStyle: 'short' }).format(b);

/** "Tuesday 3 March 2026, 19:00 – 21:00" (or the days of an all-day event). */
export function whenLong(w: When, locale: string, tz: string): string {
  if (w.allDay) {
    const a = w.localStart ?? w.localDate ?? '';
    const b = (w.localEnd ?? a).slice(0, 10);
    const f = fmt(locale, { dateStyle: 'full', timeZone: 'UTC' });
    return b && b !== a.slice(0, 10) ? `${f.format(day(a))} – ${f.format(day(b))}` : f.format(day(a));
  }
  const s = new Date(w.startsAt!);
  const start = fmt(locale, { dateStyle: 'full', timeStyle: 'short', timeZone: tz }).format(s);
  if (!w.endsAt) return start;
  const e = new Date(w.endsAt);
  const end = fmt(locale, sameDay(s, e, tz) ? { timeStyle: 'short', timeZone: tz } : { dateStyle: 'full', timeStyle: 'short', timeZone: tz }).format(e);
  return `${start} – ${end}`;
}

/** The place's own time when the reader is elsewhere ("19:00 Europe/Brussels"), else null. */
export function placeTime(w: When, locale: string, tz: string): string | null {
  if (w.allDay || !w.timeZone || w.timeZone === tz || !w.startsAt) return null;
  const f = fmt(locale, { timeStyle: 'short', timeZone: w.timeZone });
  const s = new Date(w.startsAt);
  if (f.format(s) === fmt(locale, { timeStyle: 'short', timeZone: tz }).format(s)) return null;
  return `${f.format(s)}${w.endsAt ? `–${f.format(new Date(w.endsAt))}` : ''} (${w.timeZone.replace(/_/g, ' ')})`;
}

/** Short parts for a column header or a list line: the day, and the hours (none for a whole day). */
export function whenShort(w: When, locale: string, tz: string): { day: string; time: string | null } {
  if (w.allDay) return { day: fmt(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(day(w.localDate ?? w.localStart ?? '')), time: null };
  const s = new Date(w.startsAt!);
  const t = fmt(locale, { timeStyle: 'short', timeZone: tz });
  return { day: fmt(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: tz }).format(s), time: `${t.format(s)}${w.endsAt ? `–${t.format(new Date(w.endsAt))}` : ''}` };
}

/** The month and year of 'YYYY-MM'. */
export const monthName = (month: string, locale: string) => fmt(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(day(`${month}-15`));
/** A weekday name for the grid's head (1 = Monday). */
export const weekdayName = (n: number, locale: string, style: 'short' | 'long' = 'short') => fmt(locale, { weekday: style, timeZone: 'UTC' }).format(day(`2026-01-${String(4 + n).padStart(2, '0')}`));
/** A day of the month grid. */
export const dayName = (d: string, locale: string) => fmt(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(day(d));

/** The local day an occurrence starts on, for the reader ('YYYY-MM-DD'): its own date when it lasts the whole day. */
export function localDay(w: When, tz: string): string {
  if (w.allDay) return (w.localStart ?? w.localDate ?? '').slice(0, 10);
  const p = new Intl.DateTimeFormat('en-GB', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(w.startsAt!));
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
