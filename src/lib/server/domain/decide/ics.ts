import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Selectable } from 'kysely';
import type { CalendarEventExceptionsTable, CalendarEventsTable } from '../../db/schema';
import { addDays, localKeyToUtc, parseDate, splitLocal } from './time';
import { vtimezone } from './vtimezone';

/**
 * iCalendar for feeds (PUBLISH), invitations and updates (REQUEST) and cancellations
 * (CANCEL), written with ical-generator. What calendar clients rely on: a stable UID per
 * event (`<id>@<mail domain>`), DTSTAMP, SEQUENCE raised on every change, DTSTART/DTEND in
 * the event's own zone with a VTIMEZONE for every TZID, EXDATE in the same TZID as DTSTART,
 * a changed occurrence as its own VEVENT with RECURRENCE-ID, and STATUS:CANCELLED.
 */

type EventIcs = Pick<
  Selectable<CalendarEventsTable>,
  'id' | 'title' | 'description' | 'timeZone' | 'allDay' | 'localStart' | 'localEnd' | 'startsAt' | 'rrule' | 'location' | 'onlineUrl' | 'status' | 'sequence' | 'updatedAt' | 'createdAt'
>;
type ExceptionIcs = Pick<Selectable<CalendarEventExceptionsTable>, 'occurrence' | 'cancelled' | 'title' | 'description' | 'location' | 'localStart' | 'localEnd' | 'updatedAt'>;

export type IcsItem = {
  event: EventIcs;
  exceptions: ExceptionIcs[];
  /** The event's page, and who organises it (the group: its address receives calendar replies). */
  url: string;
  organizer: { name: string; email: string };
  /** Only this occurrence (a cancellation or a change of one occurrence). */
  occurrence?: string;
};
/** A task's due date in a member's feed (through the tasks port). */
export type IcsDue = { id: string; title: string; dueAt: string; allDay: boolean; url: string; timeZone: string };

const num = (s: string) => Number(s);
/** A local time in a zone, shaped as ical-generator's Temporal ZonedDateTime (so no process time zone is involved). */
function zoned(local: string, timeZone: string) {
  const { date, time } = splitLocal(local);
  const [y, m, d] = date.split('-').map(num);
  const [h, min] = (time || '00:00').split(':').map(num);
  const text = `${date}T${time || '00:00'}:00`;
  const plain = {
    year: y,
    month: m,
    day: d,
    hour: h,
    minute: min,
    second: 0,
    toPlainDate: () => plainDate(date),
    toZonedDateTime: () => zonedValue,
    toJSON: () => text,
    toString: () => text,
  };
  const zonedValue = {
    ...plain,
    timeZoneId: timeZone,
    toPlainDateTime: () => plain,
    withTimeZone: () => zonedValue,
    toInstant: () => {
      const ms = localKeyToUtc(local, timeZone).getTime();
      return { epochMilliseconds: ms, toJSON: () => new Date(ms).toISOString(), toString: () => new Date(ms).toISOString(), toZonedDateTimeISO: () => zonedValue };
    },
  };
  return zonedValue;
}
/** A whole day, shaped as a Temporal PlainDate. */
function plainDate(date: string) {
  const [y, m, d] = date.split('-').map(num);
  const self = { year: y, month: m, day: d, toPlainDateTime: () => ({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }), toJSON: () => date, toString: () => date };
  return self;
}
const stamp = (local: string) => local.replace(/[-:]/g, '').replace(/^(\d{8})T(\d{4})$/, '$1T$200');

/** The calendar text. `name`: the feed's name; `method` only for mail (REQUEST, CANCEL). */
export function buildCalendar(o: { name: string; domain: string; method?: 'REQUEST' | 'CANCEL'; items: IcsItem[]; dues?: IcsDue[]; now: Date }): string {
  const years = o.items.flatMap((i) => [i.event.localStart, ...i.exceptions.map((x) => x.localStart ?? x.occurrence)]).map((s) => Number(s.slice(0, 4)));
  const nowYear = o.now.getUTCFullYear();
  const from = Math.min(nowYear, ...years) - 1;
  const to = Math.max(nowYear, ...years) + 2;
  const cal = ical({ name: o.name, prodId: { company: 'Ruche', product: 'Agenda', language: 'FR' } });
  cal.timezone({ name: null, generator: (tz) => vtimezone(tz, from, to) });
  if (o.method) cal.method(o.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);

  for (const item of o.items) {
    const e = item.event;
    const uid = `${e.id}@${o.domain}`;
    const cancelledAll = e.status === 'cancelled';
    const allDay = e.allDay === 1;
    const base = (local: string, localEnd: string) =>
      allDay
        ? { start: plainDate(local.slice(0, 10)), end: plainDate(addDays(localEnd.slice(0, 10), 1)), allDay: true }
        : { start: zoned(local, e.timeZone), end: zoned(localEnd, e.timeZone), timezone: e.timeZone };
    const common = {
      id: uid,
      sequence: e.sequence,
      stamp: new Date(e.updatedAt),
      created: new Date(e.createdAt),
      lastModified: new Date(e.updatedAt),
      url: item.url,
      organizer: item.organizer,
    };
    const place = (loc: string) => (loc || e.onlineUrl ? { location: [loc, e.onlineUrl].filter(Boolean).join(' — ') } : {});
    const only = item.occurrence;
    const exceptions = new Map(item.exceptions.map((x) => [x.occurrence, x]));

    if (!only || !e.rrule) {
      // The master: the event, or the whole series with its cancelled occurrences as EXDATE.
      const cancelled = [...exceptions.values()].filter((x) => x.cancelled === 1).map((x) => x.occurrence);
      const rule = e.rrule ? [`RRULE:${e.rrule}`, ...(cancelled.length ? [allDay ? `EXDATE;VALUE=DATE:${cancelled.map((c) => c.replace(/-/g, '')).join(',')}` : `EXDATE;TZID=${e.timeZone}:${cancelled.map(stamp).join(',')}`] : [])].join('\r\n') : null;
      cal.createEvent({
        ...common,
        ...base(e.localStart, e.localEnd),
        summary: e.title,
        description: e.description || null,
        ...place(e.location),
        status: cancelledAll ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        ...(rule ? { repeating: rule } : {}),
      });
    }
    if (!e.rrule) continue;
    // Changed occurrences (or the one this mail is about), each its own VEVENT with RECURRENCE-ID.
    for (const x of exceptions.values()) {
      if (only && x.occurrence !== only) continue;
      if (x.cancelled === 1 && !only) continue;
      const localStart = x.localStart ?? x.occurrence;
      const localEnd = x.localEnd ?? shiftEnd(e, x.occurrence);
      cal.createEvent({
        ...common,
        ...base(localStart, localEnd),
        recurrenceId: allDay ? plainDate(x.occurrence) : zoned(x.occurrence, e.timeZone),
        summary: x.title ?? e.title,
        description: (x.description ?? e.description) || null,
        ...place(x.location ?? e.location),
        status: cancelledAll || x.cancelled === 1 ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    if (only && !exceptions.has(only)) {
      // An occurrence without a change of its own (a reminder, an invitation to it).
      cal.createEvent({ ...common, ...base(only, shiftEnd(e, only)), recurrenceId: allDay ? plainDate(only) : zoned(only, e.timeZone), summary: e.title, description: e.description || null, ...place(e.location), status: cancelledAll ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED });
    }
  }
  for (const t of o.dues ?? []) {
    const at = new Date(t.dueAt);
    cal.createEvent({ id: `task-${t.id}@${o.domain}`, stamp: o.now, summary: t.title, url: t.url, ...(t.allDay ? { start: plainDate(t.dueAt.slice(0, 10)), allDay: true } : { start: at, end: new Date(at.getTime() + 30 * 60_000) }) });
  }
  return cal.toString();
}

/** The local end of an occurrence: the series' own length after its start. */
export function shiftEnd(e: Pick<EventIcs, 'localStart' | 'localEnd' | 'allDay' | 'timeZone'>, occurrence: string): string {
  if (e.allDay === 1) {
    const days = Math.round((Date.parse(e.localEnd.slice(0, 10)) - Date.parse(e.localStart.slice(0, 10))) / 86_400_000);
    return addDays(occurrence.slice(0, 10), days);
  }
  const len = Date.parse(`${e.localEnd}:00Z`) - Date.parse(`${e.localStart}:00Z`);
  const end = new Date(Date.parse(`${occurrence}:00Z`) + len).toISOString().slice(0, 16);
  return parseDate(end.slice(0, 10)) ? end : occurrence;
}
