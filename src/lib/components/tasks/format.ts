/**
 * How tasks read on pages: a column's name (default columns in the reader's language), a due
 * date in the reader's words. Dates arrive as `YYYY-MM-DD` and `HH:MM` in the group's time zone
 * (computed on the server), so a page never guesses a time zone.
 */
import type { T } from '$lib/i18n';

export type ColumnLike = { name: string | null; preset: string | null };
export type DueLike = { date: string; time: string | null; overdue: boolean };

/** A column's name: as renamed, or its default in the reader's language. */
export const columnLabel = (t: T, c: ColumnLike | null | undefined) => (!c ? '' : c.name ?? (c.preset ? t(`tasks.column.${c.preset}`) : ''));

const formats = new Map<string, Intl.DateTimeFormat>();
/** "sam. 17 janv." / "Sat 17 Jan" (+ the year when it is not this one), and the time when there is one. */
export function dueLabel(locale: string, due: DueLike): string {
  const [y, m, d] = due.date.split('-').map(Number);
  const thisYear = new Date().getUTCFullYear() === y;
  const key = `${locale}|${thisYear}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale === 'fr' ? 'fr-BE' : 'nl-BE', { weekday: 'short', day: 'numeric', month: 'short', year: thisYear ? undefined : 'numeric', timeZone: 'UTC' });
    formats.set(key, f);
  }
  const day = f.format(new Date(Date.UTC(y, m - 1, d)));
  return due.time ? `${day} ${due.time}` : day;
}

/** A history line's due date as the reader reads it (history keeps the instant and whether it had a time). */
export function instantLabel(locale: string, timeZone: string, v: { at: string; hasTime: boolean } | null, none: string): string {
  if (!v) return none;
  const d = new Date(Date.parse(v.at) + (v.hasTime ? 0 : 60_000));
  try {
    return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale === 'fr' ? 'fr-BE' : 'nl-BE', { day: 'numeric', month: 'short', year: 'numeric', ...(v.hasTime ? { hour: '2-digit', minute: '2-digit' } : {}), timeZone }).format(d);
  } catch {
    return v.at;
  }
}
