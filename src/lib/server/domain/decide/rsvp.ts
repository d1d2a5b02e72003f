import type { Tx } from '../../db/connect';
import type { RsvpAnswer } from '../../db/schema';
import { once } from '../../kernel/idempotency';
import { conflict, notFound, unauthenticated } from '../../kernel/errors';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { recordEvent } from '../../kernel/outbox';
import type { Ctx } from './context';
import { lockEvent, occurrenceFromIcs } from './events';
import { exceptionsOf, nextOccurrence, occurrenceOf } from './occurrences';
import { isOccurrence } from './recurrence';
import { eventFacts, findEvent, type EventRow } from './repo';
import { RsvpInput } from './schemas';

/** Yes / maybe / no counts of one occurrence, and the people who answered. */
export async function rsvpsOf(db: Tx, eventId: string, occurrence: string) {
  const rows = await db
    .selectFrom('eventRsvps as r')
    .innerJoin('users as u', 'u.id', 'r.userId')
    .select(['r.userId', 'r.answer', 'r.updatedAt', 'u.name', 'u.handle', 'u.avatarFileId'])
    .where('r.eventId', '=', eventId)
    .where('r.occurrence', '=', occurrence)
    .orderBy('r.updatedAt')
    .execute();
  const counts = { yes: 0, maybe: 0, no: 0 };
  for (const r of rows) counts[r.answer as RsvpAnswer]++;
  return { counts, people: rows.map((r) => ({ id: r.userId, name: r.name, handle: r.handle, avatarFileId: r.avatarFileId, answer: r.answer as RsvpAnswer })) };
}

/**
 * Answering an event: yes / maybe / no, for one occurrence of a series (the next one when
 * none is named). Refused for a cancelled event or occurrence, one that is over, and a "yes"
 * when the event is full. The same function answers from the page, the API, a mail's
 * button, a reply saying "oui" and a calendar client's reply.
 */
export function createRsvp(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;

  /**
   * `idem` is the client's idempotency key: a device outbox repeating an answer whose reply was
   * lost gets the first result back, and never overwrites an answer changed since.
   */
  async function answer(actor: Actor, e0: EventRow, key: string | undefined, answer: RsvpAnswer, idem?: string): Promise<{ eventId: string; occurrence: string; answer: RsvpAnswer }> {
    if (!isUser(actor)) {
      authorize(actor, 'event.read', eventFacts(e0));
      return unauthenticated();
    }
    return once(deps, { userId: actor.userId, key: idem, scope: 'event.rsvp' }, async (tx) => {
      const e = await lockEvent(tx, ctx, e0.id);
      authorize(actor, 'event.read', eventFacts(e));
      if (e.status === 'cancelled') conflict('event_cancelled');
      authorize(actor, 'event.rsvp', eventFacts(e));
      const now = clock.now();
      const xs = (await exceptionsOf(tx, [e.id])).get(e.id) ?? [];
      let occurrence = '';
      if (e.rrule) {
        if (key && !isOccurrence(e, key)) notFound();
        occurrence = key || nextOccurrence(e, xs, now).key;
      }
      const occ = occurrenceOf(e, occurrence, xs.find((x) => x.occurrence === occurrence));
      if (occ.cancelled) conflict('event_cancelled');
      if (occ.endsAt <= now.toISOString()) conflict('event_past');
      if (answer === 'yes' && e.capacity !== null) {
        const taken = await tx.selectFrom('eventRsvps').select((eb) => eb.fn.countAll<number>().as('n')).where('eventId', '=', e.id).where('occurrence', '=', occurrence).where('answer', '=', 'yes').where('userId', '<>', actor.userId).executeTakeFirstOrThrow();
        if (Number(taken.n) >= e.capacity) conflict('event_full');
      }
      const at = now.toISOString();
      await tx
        .insertInto('eventRsvps')
        .values({ eventId: e.id, occurrence, userId: actor.userId, answer, createdAt: at, updatedAt: at })
        .onConflict((oc) => oc.columns(['eventId', 'occurrence', 'userId']).doUpdateSet({ answer, updatedAt: at }))
        .execute();
      await recordEvent(tx, { type: 'event.rsvped', groupId: e.groupId, actorId: actor.userId, data: { eventId: e.id, occurrence } }, now);
      return { eventId: e.id, occurrence, answer };
    });
  }

  return {
    /** Answers an event (page, API, mail button). */
    async rsvp(actor: Actor, raw: unknown) {
      const input = parse(RsvpInput, raw);
      const e = (await findEvent(db, input.eventId)) ?? notFound();
      return answer(actor, e, input.occurrence, input.answer, input.key);
    },

    /** A reply to an invitation's own address: the event's next occurrence (or its only one). */
    async rsvpByEvent(actor: Actor, raw: { eventId: string; answer: RsvpAnswer }) {
      const e = (await findEvent(db, raw.eventId)) ?? notFound();
      return answer(actor, e, undefined, raw.answer);
    },

    /** A calendar client's reply, naming the event by its UID (`<id>@<mail domain>`) and maybe an occurrence. */
    async rsvpByUid(actor: Actor, raw: { uid: string; answer: RsvpAnswer; recurrenceId?: string }) {
      const m = /^([0-9a-f-]{36})@(.+)$/i.exec(raw.uid.trim());
      if (!m || m[2].toLowerCase() !== deps.config.mailDomain.toLowerCase()) return notFound();
      const e = (await findEvent(db, m[1].toLowerCase())) ?? notFound();
      const occurrence = raw.recurrenceId && e.rrule ? (occurrenceFromIcs(e, raw.recurrenceId) ?? undefined) : undefined;
      return answer(actor, e, occurrence, raw.answer);
    },
  };
}
