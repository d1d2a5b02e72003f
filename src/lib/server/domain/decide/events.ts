import type { z } from 'zod';
import type { Tx } from '../../db/connect';
import { inTx } from '../../kernel/deps';
import { conflict, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { once } from '../../kernel/idempotency';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { dateOr, timeOr, zoneOr, type Ctx } from './context';
import { exceptionsOf } from './occurrences';
import { describeRule, FAR, isOccurrence, lastOccurrence, occurrenceKeys, ruleFrom, type Recurrence } from './recurrence';
import { eventFacts, eventOr404, groupBySlugOr404, groupFactsOf, markdown, type EventRow, type GroupRow } from './repo';
import { CreateEventInput, EditEventInput, EventFieldsInput, EventRef } from './schemas';
import type { CalendarEventsTable } from '../../db/schema';
import { shiftEnd } from './ics';
import { addDays, localKeyToUtc, localToUtc } from './time';

type Fields = z.output<typeof EventFieldsInput>;
/** What an event's form sets (its other columns are kept or computed). */
export type EventValues = Pick<CalendarEventsTable, 'title' | 'description' | 'descriptionHtml' | 'timeZone' | 'allDay' | 'localStart' | 'localEnd' | 'startsAt' | 'endsAt' | 'location' | 'onlineUrl' | 'capacity' | 'isMeeting'>;

/** The length of a timed event when no end is given. */
const DEFAULT_MINUTES = 120;

/**
 * An event's values from its form: a real start (in the future unless it is the start the
 * event already had), an end after it (an hour… two hours later when none is given; the
 * start's day for an all-day event), a zone the runtime knows.
 */
export function eventValues(input: Fields, now: Date, keepStart?: string): EventValues {
  const tz = zoneOr(input.timeZone);
  const startDate = dateOr(input.startDate, 'startDate');
  const endDate = input.endDate ? dateOr(input.endDate, 'endDate') : startDate;
  let localStart: string;
  let localEnd: string;
  let startsAt: Date;
  let endsAt: Date;
  if (input.allDay) {
    if (endDate < startDate) invalidField('endDate', 'bad_range');
    localStart = startDate;
    localEnd = endDate;
    startsAt = localToUtc(startDate, '', tz);
    endsAt = localToUtc(addDays(endDate, 1), '', tz);
  } else {
    const start = timeOr(input.startTime, 'startTime') || invalidField('startTime', 'required');
    localStart = `${startDate}T${start}`;
    startsAt = localToUtc(startDate, start, tz);
    const end = timeOr(input.endTime, 'endTime');
    if (end) {
      localEnd = `${endDate}T${end}`;
      endsAt = localToUtc(endDate, end, tz);
    } else {
      endsAt = new Date(startsAt.getTime() + DEFAULT_MINUTES * 60_000);
      localEnd = new Date(Date.parse(`${localStart}:00Z`) + DEFAULT_MINUTES * 60_000).toISOString().slice(0, 16);
    }
    if (endsAt.getTime() <= startsAt.getTime()) invalidField(end ? 'endTime' : 'endDate', 'bad_range');
  }
  if (endsAt.getTime() - startsAt.getTime() > 62 * 86_400_000) invalidField('endDate', 'too_long_event');
  if (startsAt.getTime() < now.getTime() && localStart !== keepStart) invalidField('startDate', 'date_past');
  return {
    title: input.title,
    description: input.description,
    descriptionHtml: markdown(input.description),
    timeZone: tz,
    allDay: input.allDay ? 1 : 0,
    localStart,
    localEnd,
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    location: input.location,
    onlineUrl: input.onlineUrl ?? '',
    capacity: input.capacity ?? null,
    isMeeting: input.isMeeting ? 1 : 0,
  };
}

/** When the series' last occurrence ends ('9999-…' when it never does). */
function seriesEnd(v: EventValues, rrule: string): string {
  if (!rrule) return v.endsAt;
  const last = lastOccurrence({ ...v, rrule });
  if (!last) return FAR;
  const end = shiftEnd(v, last);
  return (v.allDay ? localKeyToUtc(addDays(end.slice(0, 10), 1), v.timeZone) : localKeyToUtc(end, v.timeZone)).toISOString();
}

/** Writes a new event in the caller's transaction (a form, the API, a date poll that closed). */
export async function insertEvent(tx: Tx, o: { groupId: string; authorId: string; values: EventValues; rrule: string; sourcePollId?: string | null; at: Date }): Promise<string> {
  const id = newId();
  const at = o.at.toISOString();
  await tx
    .insertInto('calendarEvents')
    .values({ id, groupId: o.groupId, authorId: o.authorId, ...o.values, rrule: o.rrule, seriesEndAt: seriesEnd(o.values, o.rrule), status: 'confirmed', cancelledAt: null, sequence: 0, sourcePollId: o.sourcePollId ?? null, createdAt: at, updatedAt: at })
    .execute();
  return id;
}

/** Members who said yes or maybe (to one occurrence, or to any when `occurrence` is null). */
export async function attendeeIds(db: Tx, eventId: string, occurrence: string | null): Promise<string[]> {
  let q = db.selectFrom('eventRsvps').select('userId').distinct().where('eventId', '=', eventId).where('answer', 'in', ['yes', 'maybe']);
  if (occurrence !== null) q = q.where('occurrence', '=', occurrence);
  return (await q.execute()).map((r) => r.userId);
}

/** Takes the event row's lock on PostgreSQL (capacity and sequence change one at a time). */
export async function lockEvent(tx: Tx, ctx: Ctx, id: string) {
  if (ctx.deps.dialect === 'postgres') await tx.selectFrom('calendarEvents').select('id').where('id', '=', id).forUpdate().execute();
  return eventOr404(tx, id);
}

/**
 * Events of a group's agenda: creating one (single or recurring), changing it (the series
 * or one occurrence) and cancelling it (the whole, or one occurrence). Every change raises
 * the event's SEQUENCE and tells those who said they come, with the calendar update.
 */
export function createEvents(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;

  async function occurrenceOr(e: EventRow, key: string | undefined): Promise<string | null> {
    if (!e.rrule) return null;
    if (!key) return null;
    return isOccurrence(e, key) ? key : notFound();
  }

  return {
    /** What the new-event page needs: the group (members only). */
    async newEventForm(actor: Actor, raw: { groupSlug: string }) {
      const g: GroupRow = await groupBySlugOr404(db, String(raw.groupSlug ?? '').slice(0, 100));
      authorize(actor, 'event.create', groupFactsOf(g));
      if (!isUser(actor)) return unauthenticated();
      return { group: { id: g.id, slug: g.slug, name: g.name } };
    },

    /** What the edit page needs: the event's (or the occurrence's) current values, for its author or the group's admins. */
    async editEventForm(actor: Actor, raw: unknown) {
      const input = parse(EventRef, raw);
      const e = await eventOr404(db, input.eventId);
      authorize(actor, 'event.read', eventFacts(e));
      authorize(actor, 'event.manage', eventFacts(e));
      const occurrence = await occurrenceOr(e, input.occurrence);
      const x = occurrence ? ((await exceptionsOf(db, [e.id])).get(e.id) ?? []).find((r) => r.occurrence === occurrence) : undefined;
      const start = x?.localStart ?? occurrence ?? e.localStart;
      const end = x?.localEnd ?? (occurrence ? shiftEnd(e, occurrence) : e.localEnd);
      const rule = describeRule(e.rrule, e.timeZone);
      return {
        event: { id: e.id, title: e.title, recurring: !!e.rrule, cancelled: e.status === 'cancelled', group: { id: e.group.id, slug: e.group.slug, name: e.group.name } },
        occurrence,
        values: {
          title: x?.title ?? e.title,
          description: x?.description ?? e.description,
          timeZone: e.timeZone,
          allDay: e.allDay === 1 ? '1' : '',
          startDate: start.slice(0, 10),
          startTime: start.slice(11, 16),
          endDate: end.slice(0, 10),
          endTime: end.slice(11, 16),
          location: x?.location ?? e.location,
          onlineUrl: e.onlineUrl,
          capacity: e.capacity === null ? '' : String(e.capacity),
          isMeeting: e.isMeeting === 1 ? '1' : '',
          repeat: rule.custom ? 'none' : rule.repeat,
          interval: String(rule.interval),
          repeatUntil: rule.until ?? '',
          repeatCount: rule.count === null ? '' : String(rule.count),
          rrule: rule.custom ? e.rrule : '',
        } as Record<string, string>,
      };
    },

    /** A new event in a group (members): its time in a zone, place, capacity, repetition; a meeting if it has an agenda. */
    async createEvent(actor: Actor, raw: unknown): Promise<{ id: string }> {
      const input = parse(CreateEventInput, raw);
      const g: GroupRow = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'event.create', groupFactsOf(g));
      if (!isUser(actor)) return unauthenticated();
      const now = clock.now();
      const values = eventValues(input, now);
      const rrule = ruleFrom(input as Recurrence, values.localStart, values.timeZone);
      const id = await once(deps, { userId: actor.userId, key: input.key, scope: 'event.create' }, async (tx) => {
        const eventId = await insertEvent(tx, { groupId: g.id, authorId: actor.userId, values, rrule, at: now });
        await recordEvent(tx, { type: 'event.created', groupId: g.id, actorId: actor.userId, data: { eventId } }, now);
        return eventId;
      });
      return { id };
    },

    /**
     * Changes an event. With `occurrence`, only that occurrence of a series (its title, text,
     * place and time); otherwise the event or the whole series, its repetition included
     * (changes of occurrences that no longer exist are dropped).
     */
    async editEvent(actor: Actor, raw: unknown): Promise<{ id: string; occurrence: string | null }> {
      const input = parse(EditEventInput, raw);
      return inTx(deps, async (tx) => {
        const e = await lockEvent(tx, ctx, input.eventId);
        authorize(actor, 'event.read', eventFacts(e));
        authorize(actor, 'event.manage', eventFacts(e));
        if (e.status === 'cancelled') conflict('event_cancelled');
        const now = clock.now();
        const occurrence = await occurrenceOr(e, input.occurrence);
        const at = now.toISOString();
        if (occurrence) {
          const xs = (await exceptionsOf(tx, [e.id])).get(e.id) ?? [];
          const x = xs.find((r) => r.occurrence === occurrence);
          if (x?.cancelled) conflict('event_cancelled');
          const v = eventValues({ ...input, allDay: e.allDay === 1, timeZone: e.timeZone }, now, x?.localStart ?? occurrence);
          const row = { title: v.title, description: v.description, descriptionHtml: v.descriptionHtml, location: v.location, localStart: v.localStart, localEnd: v.localEnd, startsAt: v.startsAt, endsAt: v.endsAt, updatedAt: at };
          await tx
            .insertInto('calendarEventExceptions')
            .values({ eventId: e.id, occurrence, cancelled: 0, ...row })
            .onConflict((oc) => oc.columns(['eventId', 'occurrence']).doUpdateSet(row))
            .execute();
        } else {
          const values = eventValues(input, now, e.localStart);
          const rrule = input.repeat === undefined && input.rrule === undefined ? e.rrule : ruleFrom(input as Recurrence, values.localStart, values.timeZone);
          await tx.updateTable('calendarEvents').set({ ...values, rrule, seriesEndAt: seriesEnd(values, rrule), updatedAt: at }).where('id', '=', e.id).execute();
          // Changes to occurrences the new series no longer has are dropped.
          const kept = rrule ? new Set(occurrenceKeys({ ...values, rrule }, new Date(Date.parse(values.startsAt) - 86_400_000), new Date(Date.parse(seriesEnd(values, rrule) === FAR ? '2200-01-01' : seriesEnd(values, rrule))), 5000)) : new Set<string>();
          for (const x of (await exceptionsOf(tx, [e.id])).get(e.id) ?? []) if (!kept.has(x.occurrence)) await tx.deleteFrom('calendarEventExceptions').where('eventId', '=', e.id).where('occurrence', '=', x.occurrence).execute();
        }
        await tx.updateTable('calendarEvents').set((eb) => ({ sequence: eb('sequence', '+', 1), updatedAt: at })).where('id', '=', e.id).execute();
        await recordEvent(tx, { type: 'event.updated', groupId: e.groupId, actorId: isUser(actor) ? actor.userId : null, data: { eventId: e.id, occurrence } }, now);
        return { id: e.id, occurrence };
      });
    },

    /** Cancels an event, or one occurrence of a series; those who said they come are told, with the calendar cancellation. */
    async cancelEvent(actor: Actor, raw: unknown): Promise<{ id: string; occurrence: string | null }> {
      const input = parse(EventRef, raw);
      return inTx(deps, async (tx) => {
        const e = await lockEvent(tx, ctx, input.eventId);
        authorize(actor, 'event.read', eventFacts(e));
        authorize(actor, 'event.manage', eventFacts(e));
        if (e.status === 'cancelled') conflict('event_cancelled');
        const occurrence = await occurrenceOr(e, input.occurrence);
        const now = clock.now();
        const at = now.toISOString();
        if (occurrence) {
          const x = (await tx.selectFrom('calendarEventExceptions').select('cancelled').where('eventId', '=', e.id).where('occurrence', '=', occurrence).executeTakeFirst());
          if (x?.cancelled) conflict('event_cancelled');
          await tx
            .insertInto('calendarEventExceptions')
            .values({ eventId: e.id, occurrence, cancelled: 1, title: null, description: null, descriptionHtml: null, location: null, localStart: null, localEnd: null, startsAt: null, endsAt: null, updatedAt: at })
            .onConflict((oc) => oc.columns(['eventId', 'occurrence']).doUpdateSet({ cancelled: 1, updatedAt: at }))
            .execute();
        } else await tx.updateTable('calendarEvents').set({ status: 'cancelled', cancelledAt: at }).where('id', '=', e.id).execute();
        await tx.updateTable('calendarEvents').set((eb) => ({ sequence: eb('sequence', '+', 1), updatedAt: at })).where('id', '=', e.id).execute();
        const userIds = await attendeeIds(tx, e.id, occurrence ?? (e.rrule ? null : ''));
        await recordEvent(tx, { type: 'event.cancelled', groupId: e.groupId, actorId: isUser(actor) ? actor.userId : null, data: { eventId: e.id, occurrence, userIds } }, now);
        return { id: e.id, occurrence };
      });
    },
  };
}

/** An iCalendar RECURRENCE-ID value ('20260310T190000', '20260310T180000Z', '20260310') as an occurrence key of `e`. */
export function occurrenceFromIcs(e: Pick<EventRow, 'timeZone' | 'allDay'>, v: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})\d{2}(Z)?)?$/.exec(v.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (e.allDay === 1 || !m[4]) return date;
  if (!m[6]) return `${date}T${m[4]}:${m[5]}`;
  const local = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])));
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: e.timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(local);
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
