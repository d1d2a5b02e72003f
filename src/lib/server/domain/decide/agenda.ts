import { z } from 'zod';
import { notFound } from '../../kernel/errors';
import { parse, text } from '../../kernel/validate';
import { abilities, authorize, isUser, type Actor } from '../../policy';
import type { Ctx } from './context';
import { agendaOf } from './meetings';
import { eventsInRange, exceptionsOf, expand, nextOccurrence, occurrenceOf, type Occurrence } from './occurrences';
import { describeRule, isOccurrence } from './recurrence';
import { eventFacts, eventOr404, groupBySlugOr404, groupFactsOf, usersById } from './repo';
import { rsvpsOf } from './rsvp';
import { EventRef, ListEventsInput } from './schemas';
import { addDays, isTimeZone, localToUtc, monthRange, utcToLocal, weekdayOf } from './time';

const Zone = z.object({ timeZone: text().max(64).optional() });
const zoneOf = (tz: string | undefined) => (tz && isTimeZone(tz) ? tz : 'Europe/Brussels');

/**
 * Reading the agenda: a group's coming events as a list, a month as a calendar grid (weeks
 * of days, each with its events, in the reader's zone), and one event with what its page
 * shows (the occurrence asked or the next one, who comes, a meeting's agenda and minutes).
 */
export function createAgenda(ctx: Ctx) {
  const { db, clock } = ctx.deps;

  return {
    /** The list (coming events, from today) or, with `month`, the month's grid. */
    async agenda(actor: Actor, raw: unknown) {
      const input = parse(ListEventsInput.extend(Zone.shape), raw);
      const tz = zoneOf(input.timeZone);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      const now = clock.now();
      const group = { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility };
      const can = abilities(actor, ['event.create', 'poll.create'], groupFactsOf(g));
      if (input.month) {
        const m = monthRange(input.month) ?? notFound();
        // Whole weeks, Monday first, around the month.
        const first = addDays(m.first, 1 - weekdayOf(m.first));
        const last = addDays(m.last, 7 - weekdayOf(m.last));
        const from = localToUtc(first, '', tz);
        const to = localToUtc(addDays(last, 1), '', tz);
        const events = await eventsInRange(db, [g.id], from, to);
        const occ = expand(events, await exceptionsOf(db, events.map((e) => e.id)), from, to);
        const byDay = new Map<string, Occurrence[]>();
        for (const o of occ) {
          // An event shows on every local day it spans (in the reader's zone).
          let d = o.allDay ? o.localStart.slice(0, 10) : utcToLocal(new Date(o.startsAt), tz).date;
          const end = o.allDay ? o.localEnd.slice(0, 10) : utcToLocal(new Date(Date.parse(o.endsAt) - 60_000), tz).date;
          for (let i = 0; i < 62 && d <= end; i++, d = addDays(d, 1)) byDay.set(d, [...(byDay.get(d) ?? []), o]);
        }
        const weeks: { date: string; inMonth: boolean; today: boolean; events: Occurrence[] }[][] = [];
        const today = utcToLocal(now, tz).date;
        for (let d = first; d <= last; d = addDays(d, 1)) {
          if (weekdayOf(d) === 1) weeks.push([]);
          weeks[weeks.length - 1].push({ date: d, inMonth: d.slice(0, 7) === input.month, today: d === today, events: byDay.get(d) ?? [] });
        }
        const prev = addDays(m.first, -1).slice(0, 7);
        const next = addDays(m.last, 1).slice(0, 7);
        return { group, view: 'month' as const, month: input.month, prev, next, weeks, items: occ, timeZone: tz, can };
      }
      const to = new Date(now.getTime() + 366 * 86_400_000);
      const events = await eventsInRange(db, [g.id], now, to);
      const items = expand(events, await exceptionsOf(db, events.map((e) => e.id)), now, to).slice(0, input.limit);
      const month = utcToLocal(now, tz).date.slice(0, 7);
      return { group, view: 'list' as const, month, prev: null, next: null, weeks: [], items, timeZone: tz, can };
    },

    /** One event as its page shows it: the occurrence asked (or the next), who comes, a meeting's agenda and minutes. */
    async event(actor: Actor, raw: unknown) {
      const input = parse(EventRef, raw);
      const e = await eventOr404(db, input.eventId);
      authorize(actor, 'event.read', eventFacts(e));
      const now = clock.now();
      const xs = (await exceptionsOf(db, [e.id])).get(e.id) ?? [];
      let occ: Occurrence;
      if (e.rrule && input.occurrence) {
        if (!isOccurrence(e, input.occurrence)) notFound();
        occ = occurrenceOf(e, input.occurrence, xs.find((x) => x.occurrence === input.occurrence));
      } else occ = e.rrule ? nextOccurrence(e, xs, now) : occurrenceOf(e, '', undefined);
      const upcoming = e.rrule ? expand([e], new Map([[e.id, xs]]), now, new Date(now.getTime() + 366 * 86_400_000)).slice(0, 8) : [];
      const rsvps = await rsvpsOf(db, e.id, occ.key);
      const mine = isUser(actor) ? (rsvps.people.find((p) => p.id === actor.userId)?.answer ?? null) : null;
      const users = await usersById(db, [e.authorId]);
      const meeting = e.isMeeting === 1 ? await agendaOf(db, actor, e, occ.key) : null;
      const facts = eventFacts(e);
      const past = occ.endsAt <= now.toISOString();
      return {
        event: {
          id: e.id,
          title: e.title,
          description: e.description,
          descriptionHtml: e.descriptionHtml,
          timeZone: e.timeZone,
          allDay: e.allDay === 1,
          localStart: e.localStart,
          localEnd: e.localEnd,
          location: e.location,
          onlineUrl: e.onlineUrl,
          capacity: e.capacity,
          isMeeting: e.isMeeting === 1,
          cancelled: e.status === 'cancelled',
          recurring: !!e.rrule,
          rule: describeRule(e.rrule, e.timeZone),
          rrule: e.rrule,
          sequence: e.sequence,
          author: { id: e.authorId, name: users.get(e.authorId)?.name ?? '' },
          group: { id: e.group.id, slug: e.group.slug, name: e.group.name, visibility: e.group.visibility },
          sourcePollId: e.sourcePollId,
        },
        occurrence: occ,
        upcoming,
        past,
        rsvp: { ...rsvps, mine, full: e.capacity !== null && rsvps.counts.yes >= e.capacity },
        meeting,
        can: {
          ...abilities(actor, ['event.rsvp', 'event.manage', 'meeting.agenda', 'meeting.minutes'], facts),
          rsvpNow: !past && !occ.cancelled && abilities(actor, ['event.rsvp'], facts)['event.rsvp'],
        },
      };
    },
  };
}
