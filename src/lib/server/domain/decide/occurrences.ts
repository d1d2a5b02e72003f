import type { Selectable } from 'kysely';
import type { Tx } from '../../db/connect';
import type { CalendarEventExceptionsTable } from '../../db/schema';
import { shiftEnd } from './ics';
import { FAR, occurrenceKeys } from './recurrence';
import { joinedGroupCols, withGroup, type EventRow } from './repo';
import { addDays, localKeyToUtc } from './time';

export type ExceptionRow = Selectable<CalendarEventExceptionsTable>;

/** One occurrence of an event as lists and pages show it (a single event has one, keyed ''). */
export type Occurrence = {
  eventId: string;
  /** '' for a single event; the original local start of a series' occurrence. */
  key: string;
  title: string;
  startsAt: string;
  endsAt: string;
  allDay: boolean;
  /** Local dates (and times) where it takes place, in `timeZone`. */
  localStart: string;
  localEnd: string;
  timeZone: string;
  location: string;
  onlineUrl: string;
  isMeeting: boolean;
  cancelled: boolean;
  recurring: boolean;
  groupId: string;
  url: string;
};

/** The event's exceptions, by event id. */
export async function exceptionsOf(db: Tx, eventIds: string[]): Promise<Map<string, ExceptionRow[]>> {
  const out = new Map<string, ExceptionRow[]>();
  if (!eventIds.length) return out;
  for (const x of await db.selectFrom('calendarEventExceptions').selectAll().where('eventId', 'in', eventIds).execute()) out.set(x.eventId, [...(out.get(x.eventId) ?? []), x]);
  return out;
}

/** The local end of an all-day event's last day, as an instant (midnight after it). */
const allDayEnd = (localEnd: string, tz: string) => localKeyToUtc(addDays(localEnd.slice(0, 10), 1), tz).toISOString();

/** One occurrence of `e` named by `key`, with its exception applied. */
export function occurrenceOf(e: EventRow, key: string, x: ExceptionRow | undefined): Occurrence {
  const recurring = !!e.rrule;
  const localStart = x?.localStart ?? (recurring ? key : e.localStart);
  const localEnd = x?.localEnd ?? (recurring ? shiftEnd(e, key) : e.localEnd);
  const allDay = e.allDay === 1;
  return {
    eventId: e.id,
    key: recurring ? key : '',
    title: x?.title ?? e.title,
    startsAt: localKeyToUtc(localStart, e.timeZone).toISOString(),
    endsAt: allDay ? allDayEnd(localEnd, e.timeZone) : localKeyToUtc(localEnd, e.timeZone).toISOString(),
    allDay,
    localStart,
    localEnd,
    timeZone: e.timeZone,
    location: x?.location ?? e.location,
    onlineUrl: e.onlineUrl,
    isMeeting: e.isMeeting === 1,
    cancelled: e.status === 'cancelled' || x?.cancelled === 1,
    recurring,
    groupId: e.groupId,
    url: recurring ? `/events/${e.id}?occurrence=${encodeURIComponent(key)}` : `/events/${e.id}`,
  };
}

/**
 * The occurrences of events overlapping [from, to), earliest first: single events as they
 * are, series expanded in their zone with their exceptions (moved ones where they moved to).
 */
export function expand(events: EventRow[], exceptions: Map<string, ExceptionRow[]>, from: Date, to: Date, o: { withCancelled?: boolean } = {}): Occurrence[] {
  const out: Occurrence[] = [];
  const f = from.toISOString();
  const t = to.toISOString();
  for (const e of events) {
    const xs = new Map((exceptions.get(e.id) ?? []).map((x) => [x.occurrence, x]));
    const keys = e.rrule ? occurrenceKeys(e, from, to) : [''];
    // A moved occurrence may now fall in the window though its original date does not.
    for (const x of xs.values()) if (e.rrule && x.startsAt && !keys.includes(x.occurrence)) keys.push(x.occurrence);
    for (const k of keys) {
      const occ = occurrenceOf(e, k, xs.get(k));
      if (occ.endsAt <= f || occ.startsAt >= t) continue;
      if (occ.cancelled && !o.withCancelled) continue;
      out.push(occ);
    }
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.eventId.localeCompare(b.eventId));
}

/** Events of some groups that may have an occurrence in [from, to) (one indexed range query). */
export async function eventsInRange(db: Tx, groupIds: string[], from: Date, to: Date): Promise<EventRow[]> {
  if (!groupIds.length) return [];
  const rows = await db
    .selectFrom('calendarEvents')
    .innerJoin('groups', 'groups.id', 'calendarEvents.groupId')
    .selectAll('calendarEvents')
    .select(joinedGroupCols)
    .where('calendarEvents.groupId', 'in', groupIds)
    .where('calendarEvents.startsAt', '<', new Date(to.getTime() + 40 * 86_400_000).toISOString())
    .where('calendarEvents.seriesEndAt', '>=', new Date(from.getTime() - 40 * 86_400_000).toISOString())
    .orderBy('calendarEvents.startsAt')
    .limit(2000)
    .execute();
  return rows.map(withGroup);
}

/** The next occurrence of an event from `now` (or its last one, when all are past). */
export function nextOccurrence(e: EventRow, xs: ExceptionRow[], now: Date): Occurrence {
  if (!e.rrule) return occurrenceOf(e, '', undefined);
  const map = new Map([[e.id, xs]]);
  const soon = expand([e], map, now, new Date(now.getTime() + 400 * 86_400_000), { withCancelled: false })[0];
  if (soon) return soon;
  const end = e.seriesEndAt === FAR ? now : new Date(e.seriesEndAt);
  const past = expand([e], map, new Date(end.getTime() - 400 * 86_400_000), new Date(end.getTime() + 1), { withCancelled: true });
  return past[past.length - 1] ?? occurrenceOf(e, e.localStart, undefined);
}
