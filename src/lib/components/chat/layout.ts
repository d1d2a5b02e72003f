/**
 * How a conversation is laid out like a messenger: a day separator where the day changes
 * (in the member's time zone), and consecutive messages from one author, a few minutes
 * apart, shown as one run (name and avatar once, on its first message).
 */
export type Placed = { day: string | null; first: boolean };

/** Minutes between two messages of one author that still belong to one run. */
export const RUN_MINUTES = 5;

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayKey(iso: string, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(new Date(iso));
}

/** For each message (in order), the day to announce before it, if any, and whether it opens a run. */
export function place(messages: { author: { id: string }; createdAt: string; deletedAt?: string | null }[], timeZone: string): Placed[] {
  let prevDay: string | null = null;
  return messages.map((m, i) => {
    const day = dayKey(m.createdAt, timeZone);
    const prev = messages[i - 1];
    const newDay = day !== prevDay;
    prevDay = day;
    const sameRun =
      !newDay && !!prev && prev.author.id === m.author.id && !prev.deletedAt && Date.parse(m.createdAt) - Date.parse(prev.createdAt) <= RUN_MINUTES * 60_000;
    return { day: newDay ? day : null, first: !sameRun };
  });
}

const tags = { en: 'en-GB', fr: 'fr-BE', nl: 'nl-BE' } as Record<string, string>;

/** "Today", "Yesterday", else the weekday and date, in the member's language. */
export function dayLabel(day: string, locale: string, timeZone: string, now: Date = new Date()): string {
  const today = dayKey(now.toISOString(), timeZone);
  const yesterday = dayKey(new Date(now.getTime() - 86_400_000).toISOString(), timeZone);
  const tag = tags[locale] ?? locale;
  let s: string;
  if (day === today || day === yesterday) s = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' }).format(day === today ? 0 : -1, 'day');
  else {
    const sameYear = day.slice(0, 4) === today.slice(0, 4);
    s = new Intl.DateTimeFormat(tag, { weekday: 'long', day: 'numeric', month: 'long', year: sameYear ? undefined : 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
  }
  return s.charAt(0).toLocaleUpperCase(tag) + s.slice(1);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
/** The time of a message (hours and minutes) in the member's time zone (one formatter per language and zone: building one costs far more than using it). */
export function timeOf(iso: string, locale: string, timeZone: string): string {
  const k = `${locale}|${timeZone}`;
  let f = timeFormats.get(k);
  if (!f) timeFormats.set(k, (f = new Intl.DateTimeFormat(tags[locale] ?? locale, { hour: '2-digit', minute: '2-digit', timeZone })));
  return f.format(new Date(iso));
}
