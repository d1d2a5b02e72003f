import { sql } from 'kysely';
import { isUser, type Actor } from '../../policy';
import type { Ctx } from './context';
import { eventsInRange, exceptionsOf, expand } from './occurrences';
import { answeredBy } from './repo';

const DAY = 86_400_000;
/** Events this close ahead wait for the member's answer on their home. */
export const RSVP_AHEAD_DAYS = 14;

export type AwaitingPoll = { id: string; kind: 'date' | 'choice' | 'proposal'; title: string; deadlineAt: string | null; group: { slug: string; name: string } };
export type AwaitingEvent = { eventId: string; occurrence: string; title: string; startsAt: string; localStart: string; allDay: boolean; timeZone: string; isMeeting: boolean; url: string; group: { slug: string; name: string } };

/**
 * What waits for the member's answer, for their home: the open polls, proposals and date polls
 * of their groups they have not answered (nearest deadline first), and the events of the next
 * two weeks they have not answered (soonest first). Only the member's own groups are looked at:
 * membership is what lets them answer (`poll.answer`, `event.rsvp`).
 */
export function createAwaiting(ctx: Ctx) {
  const { db, clock } = ctx.deps;
  return {
    async awaitingMe(actor: Actor, limit = 5): Promise<{ polls: AwaitingPoll[]; events: AwaitingEvent[] }> {
      if (!isUser(actor)) return { polls: [], events: [] };
      const userId = actor.userId;
      const groups = await db.selectFrom('memberships as m').innerJoin('groups as g', 'g.id', 'm.groupId').select(['g.id', 'g.slug', 'g.name']).where('m.userId', '=', userId).execute();
      if (!groups.length) return { polls: [], events: [] };
      const byId = new Map(groups.map((g) => [g.id, { slug: g.slug, name: g.name }]));
      const now = clock.now();
      const polls = await db
        .selectFrom('polls as p')
        .select(['p.id', 'p.kind', 'p.title', 'p.deadlineAt', 'p.groupId'])
        .where('p.groupId', 'in', [...byId.keys()])
        .where('p.deletedAt', 'is', null)
        .where('p.closedAt', 'is', null)
        .where((eb) => eb.or([eb('p.deadlineAt', 'is', null), eb('p.deadlineAt', '>', now.toISOString())]))
        .where((eb) => eb.not(answeredBy(eb, userId)))
        .orderBy(sql`CASE WHEN p.deadline_at IS NULL THEN 1 ELSE 0 END`)
        .orderBy('p.deadlineAt')
        .orderBy('p.createdAt', 'desc')
        .limit(limit)
        .execute();
      const to = new Date(now.getTime() + RSVP_AHEAD_DAYS * DAY);
      const rows = await eventsInRange(db, [...byId.keys()], now, to);
      const occ = expand(rows, await exceptionsOf(db, rows.map((e) => e.id)), now, to).filter((o) => o.startsAt > now.toISOString());
      const answered = occ.length
        ? new Set((await db.selectFrom('eventRsvps').select(['eventId', 'occurrence']).where('userId', '=', userId).where('eventId', 'in', [...new Set(occ.map((o) => o.eventId))]).execute()).map((r) => `${r.eventId}|${r.occurrence}`))
        : new Set<string>();
      const events = occ
        .filter((o) => !answered.has(`${o.eventId}|${o.key}`))
        .slice(0, limit)
        .map((o) => ({ eventId: o.eventId, occurrence: o.key, title: o.title, startsAt: o.startsAt, localStart: o.localStart, allDay: o.allDay, timeZone: o.timeZone, isMeeting: o.isMeeting, url: o.url, group: byId.get(o.groupId)! }));
      return { polls: polls.map((p) => ({ id: p.id, kind: p.kind as AwaitingPoll['kind'], title: p.title, deadlineAt: p.deadlineAt, group: byId.get(p.groupId)! })), events };
    },
  };
}
