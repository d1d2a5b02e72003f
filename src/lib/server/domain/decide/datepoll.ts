import type { Tx } from '../../db/connect';
import type { DateAnswer } from '../../db/schema';
import { inTx } from '../../kernel/deps';
import { conflict, DomainError, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { once } from '../../kernel/idempotency';
import { hashSecret, newId, newSecret } from '../../kernel/ids';
import { enqueueJob, recordEvent } from '../../kernel/outbox';
import { guestAnswerMail } from './guest-mail';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import type { Ctx } from './context';
import { recordDecision } from './decisions';
import { eventValues, insertEvent } from './events';
import { guestCookie, guestKey, guestToken, readGuestToken } from './guests';
import { findPoll, isClosed, markdown, pollFacts, type PollRow } from './repo';
import { DateAnswerInput, GuestAnswerInput, GuestEditInput } from './schemas';
import { addDays } from './time';

export type DateOption = { id: string; allDay: boolean; startsAt: string | null; endsAt: string | null; localDate: string; localStart: string; localEnd: string; yes: number; maybe: number; no: number; best: boolean };
export type DateParticipant = { id: string; name: string; guest: boolean; mine: boolean; answers: Record<string, DateAnswer>; comment: string };

/**
 * The grid of a date poll: options (with their yes / if need be / no counts; the best ones
 * marked: most yes, then most "if need be") and participants with their answers.
 */
export async function dateGrid(db: Tx, p: PollRow, me: { userId?: string | null; participantId?: string | null }) {
  const options = await db.selectFrom('pollOptions').selectAll().where('pollId', '=', p.id).orderBy('position').execute();
  const people = await db
    .selectFrom('pollParticipants as pp')
    .leftJoin('users as u', 'u.id', 'pp.userId')
    .select(['pp.id', 'pp.userId', 'pp.guestName', 'pp.comment', 'pp.createdAt', 'u.name'])
    .where('pp.pollId', '=', p.id)
    .orderBy('pp.createdAt')
    .execute();
  const answers = people.length ? await db.selectFrom('pollAnswers').selectAll().where('participantId', 'in', people.map((x) => x.id)).execute() : [];
  const byPerson = new Map<string, Record<string, DateAnswer>>();
  const counts = new Map(options.map((o) => [o.id, { yes: 0, maybe: 0, no: 0 }]));
  for (const a of answers) {
    (byPerson.get(a.participantId) ?? byPerson.set(a.participantId, {}).get(a.participantId)!)[a.optionId] = a.answer;
    const c = counts.get(a.optionId);
    if (c) c[a.answer]++;
  }
  const score = (c: { yes: number; maybe: number }) => c.yes * 1000 + c.maybe;
  const top = Math.max(0, ...[...counts.values()].map(score));
  const view: DateOption[] = options.map((o) => {
    const c = counts.get(o.id)!;
    return { id: o.id, allDay: o.allDay === 1, startsAt: o.startsAt, endsAt: o.endsAt, localDate: o.localDate, localStart: o.localStart, localEnd: o.localEnd, ...c, best: top > 0 && score(c) === top };
  });
  const participants: DateParticipant[] = people.map((x) => ({
    id: x.id,
    name: x.userId ? (x.name ?? '') : (x.guestName ?? ''),
    guest: !x.userId,
    mine: (!!me.userId && x.userId === me.userId) || (!!me.participantId && x.id === me.participantId),
    answers: byPerson.get(x.id) ?? {},
    comment: x.comment,
  }));
  return { options: view, participants };
}

/** Keeps only answers to this poll's options; at least one must be given. */
async function checkedAnswers(db: Tx, pollId: string, answers: Record<string, DateAnswer>): Promise<[string, DateAnswer][]> {
  const ids = new Set((await db.selectFrom('pollOptions').select('id').where('pollId', '=', pollId).execute()).map((o) => o.id));
  const list = Object.entries(answers);
  for (const [id] of list) if (!ids.has(id)) invalidField('answers', 'bad_option');
  if (list.length === 0) invalidField('answers', 'answer_required');
  return list;
}

async function writeAnswers(tx: Tx, participantId: string, list: [string, DateAnswer][]) {
  await tx.deleteFrom('pollAnswers').where('participantId', '=', participantId).execute();
  await tx.insertInto('pollAnswers').values(list.map(([optionId, answer]) => ({ participantId, optionId, answer }))).execute();
}

/**
 * Answering date polls: members from the page, the API or a mail's link; guests (when the
 * group and the poll allow) through the shared link, with their name, changing their answer
 * later from the same browser or the link mailed to them. Closing picks a slot and turns it
 * into an event of the group that invites the participants.
 */
export function createDatePolls(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;

  /** The poll behind a guest link, while guests may answer: a forged, revoked or disallowed link is "not found"; a closed poll's link has expired. */
  async function guestPoll(db: Tx, token: string, forWriting: boolean): Promise<PollRow> {
    const t = readGuestToken(ctx.secret(), token) ?? notFound();
    const p = await findPoll(db, t.pollId);
    if (!p || p.deletedAt || p.kind !== 'date' || !p.allowGuests || !p.group.guestPolls || p.guestVersion !== t.version) return notFound();
    if (forWriting && isClosed(p, clock.now())) throw new DomainError('conflict', 'guest_link_expired');
    return p;
  }

  return {
    /** A member answers (or changes their answers): yes / if need be / no per option, and a comment. */
    async answerDatePoll(actor: Actor, raw: unknown): Promise<{ participantId: string }> {
      const input = parse(DateAnswerInput, raw);
      return inTx(deps, async (tx) => {
        const p = await findPoll(tx, input.pollId);
        if (!p || p.deletedAt || p.kind !== 'date') return notFound();
        const now = clock.now();
        authorize(actor, 'poll.read', pollFacts(p, now));
        if (isClosed(p, now)) conflict('poll_closed');
        authorize(actor, 'poll.answer', pollFacts(p, now));
        if (!isUser(actor)) return unauthenticated();
        const list = await checkedAnswers(tx, p.id, input.answers);
        const at = now.toISOString();
        const existing = await tx.selectFrom('pollParticipants').select('id').where('pollId', '=', p.id).where('userId', '=', actor.userId).executeTakeFirst();
        const participantId = existing?.id ?? newId();
        if (existing) await tx.updateTable('pollParticipants').set({ comment: input.comment, updatedAt: at }).where('id', '=', participantId).execute();
        else await tx.insertInto('pollParticipants').values({ id: participantId, pollId: p.id, userId: actor.userId, guestName: null, guestKey: null, guestEmail: null, guestSecretHash: null, comment: input.comment, createdAt: at, updatedAt: at }).execute();
        await writeAnswers(tx, participantId, list);
        await recordEvent(tx, { type: 'poll.answered', groupId: p.groupId, actorId: actor.userId, data: { pollId: p.id } }, now);
        return { participantId };
      });
    },

    /** What the guest page shows: the poll, its grid, and the guest's own row when their secret (cookie or mailed link) is given. */
    async guestView(raw: { token: string; secret?: string | null }) {
      const p = await guestPoll(db, String(raw.token ?? '').slice(0, 200), false);
      const mine = raw.secret ? await db.selectFrom('pollParticipants').select('id').where('pollId', '=', p.id).where('guestSecretHash', '=', hashSecret(String(raw.secret).slice(0, 200))).executeTakeFirst() : undefined;
      const grid = await dateGrid(db, p, { participantId: mine?.id ?? null });
      const author = await db.selectFrom('users').select('name').where('id', '=', p.authorId).executeTakeFirst();
      return {
        poll: { id: p.id, title: p.title, descriptionHtml: p.descriptionHtml, timeZone: p.timeZone, deadlineAt: p.deadlineAt, closed: isClosed(p, clock.now()), author: author?.name ?? '', group: { name: p.group.name } },
        ...grid,
        mine: mine?.id ?? null,
      };
    },

    /**
     * A guest answers through the shared link, with their name (and an address, to get the
     * link that changes their answer). A name already used in this poll is refused: the
     * person who used it changes their answer from their browser or their link. Returns the
     * guest's secret, which the page keeps in a cookie.
     */
    async answerAsGuest(raw: unknown): Promise<{ participantId: string; secret: string; pollId: string; mailed: boolean }> {
      const input = parse(GuestAnswerInput, raw);
      const secret = newSecret();
      return inTx(deps, async (tx) => {
        const p = await guestPoll(tx, input.token, true);
        // The same form sent twice (a double tap, a reload): the first answer stands, nothing is written again.
        if (input.key && (await tx.selectFrom('decideReminders').select('key').where('key', '=', `guest-key:${p.id}:${input.key}`).executeTakeFirst())) conflict('guest_already_answered');
        const taken = await tx.selectFrom('pollParticipants').select('id').where('pollId', '=', p.id).where('guestKey', '=', guestKey(input.name)).executeTakeFirst();
        if (taken) invalidField('name', 'guest_name_taken');
        const list = await checkedAnswers(tx, p.id, input.answers);
        const now = clock.now();
        const at = now.toISOString();
        const participantId = newId();
        await tx
          .insertInto('pollParticipants')
          .values({ id: participantId, pollId: p.id, userId: null, guestName: input.name, guestKey: guestKey(input.name), guestEmail: input.email ?? null, guestSecretHash: hashSecret(secret), comment: input.comment, createdAt: at, updatedAt: at })
          .execute();
        await writeAnswers(tx, participantId, list);
        if (input.email) {
          const url = `${deps.config.baseUrl}/polls/guest/${input.token}?edit=${encodeURIComponent(secret)}`;
          await enqueueJob(tx, 'mail.send', guestAnswerMail({ to: input.email, name: input.name, locale: typeof (raw as { locale?: unknown }).locale === 'string' ? String((raw as { locale: string }).locale) : 'fr', title: p.title, url, mailDomain: deps.config.mailDomain, id: participantId }), now);
        }
        if (input.key) await tx.insertInto('decideReminders').values({ key: `guest-key:${p.id}:${input.key}`, createdAt: at }).onConflict((oc) => oc.column('key').doNothing()).execute();
        await recordEvent(tx, { type: 'poll.answered', groupId: p.groupId, actorId: null, data: { pollId: p.id } }, now);
        return { participantId, secret, pollId: p.id, mailed: !!input.email };
      });
    },

    /** A guest changes their answer, proving it is theirs with their secret. */
    async editGuestAnswer(raw: unknown): Promise<{ participantId: string }> {
      const input = parse(GuestEditInput, raw);
      return inTx(deps, async (tx) => {
        const p = await guestPoll(tx, input.token, true);
        const me = (await tx.selectFrom('pollParticipants').select('id').where('pollId', '=', p.id).where('guestSecretHash', '=', hashSecret(input.secret)).executeTakeFirst()) ?? notFound();
        const list = await checkedAnswers(tx, p.id, input.answers);
        const now = clock.now();
        await tx.updateTable('pollParticipants').set({ comment: input.comment, updatedAt: now.toISOString() }).where('id', '=', me.id).execute();
        await writeAnswers(tx, me.id, list);
        await recordEvent(tx, { type: 'poll.answered', groupId: p.groupId, actorId: null, data: { pollId: p.id } }, now);
        return { participantId: me.id };
      });
    },

    /** The name of the cookie that keeps a guest's secret for the poll a link names (null for a link that names none). */
    guestCookieFor(token: string): string | null {
      const t = readGuestToken(ctx.secret(), String(token).slice(0, 200));
      return t ? guestCookie(t.pollId) : null;
    },

    /** The shared link for guests, for those who manage the poll (null when guests may not answer). */
    guestLink(p: PollRow): string | null {
      return p.kind === 'date' && p.allowGuests && p.group.guestPolls ? `/polls/guest/${guestToken(ctx.secret(), p.id, p.guestVersion)}` : null;
    },

    /**
     * Closes a date poll on a slot: the poll is closed, the slot becomes an event of the group
     * (its time and zone; two hours when the slot had no end; the whole day for a day), the
     * participants who are members are invited to it, and the decision log keeps the date.
     */
    async closeDatePoll(actor: Actor, p: PollRow, input: { optionId?: string; outcome: string }): Promise<{ eventId: string }> {
      if (!input.optionId) return invalidField('optionId', 'required');
      return inTx(deps, async (tx) => {
        const now = clock.now();
        const o = (await tx.selectFrom('pollOptions').selectAll().where('id', '=', input.optionId!).where('pollId', '=', p.id).executeTakeFirst()) ?? invalidField('optionId', 'bad_option');
        const userId = isUser(actor) ? actor.userId : unauthenticated();
        const fields = {
          title: p.title,
          description: p.description,
          timeZone: p.timeZone,
          allDay: o.allDay === 1,
          startDate: o.localDate,
          startTime: o.localStart || undefined,
          endDate: o.localEnd ? o.localDate : o.allDay ? o.localDate : undefined,
          endTime: o.localEnd || undefined,
          location: '',
          capacity: undefined,
          isMeeting: false,
          onlineUrl: undefined,
        };
        const values = eventValues(fields, new Date(0));
        if (Date.parse(values.endsAt) <= now.getTime()) invalidField('optionId', 'date_past');
        const eventId = await insertEvent(tx, { groupId: p.groupId, authorId: userId, values, rrule: '', sourcePollId: p.id, at: now });
        // Closed once: a second close of the same poll (two admins at once) writes nothing.
        const done = await tx.updateTable('polls').set({ closedAt: now.toISOString(), closedBy: userId, chosenOptionId: o.id, eventId, outcome: input.outcome, outcomeHtml: markdown(input.outcome), updatedAt: now.toISOString() }).where('id', '=', p.id).where('closedAt', 'is', null).executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) conflict('poll_closed');
        const when = o.allDay ? o.localDate : `${o.localDate} ${o.localStart}${o.localEnd ? `–${o.localEnd}` : ''} (${p.timeZone})`;
        await recordDecision(tx, { groupId: p.groupId, kind: 'date', sourceId: p.id, title: p.title, statement: input.outcome ? `${when}\n\n${input.outcome}` : when, url: `/polls/${p.id}`, decidedAt: now.toISOString(), recordedBy: userId, at: now });
        const invited = (await tx.selectFrom('pollParticipants as pp').innerJoin('memberships as m', (j) => j.onRef('m.userId', '=', 'pp.userId').on('m.groupId', '=', p.groupId)).select('pp.userId').where('pp.pollId', '=', p.id).execute()).map((r) => r.userId!);
        await recordEvent(tx, { type: 'poll.closed', groupId: p.groupId, actorId: userId, data: { pollId: p.id, eventId } }, now);
        await recordEvent(tx, { type: 'event.invited', groupId: p.groupId, actorId: userId, data: { eventId, userIds: invited } }, now);
        return { eventId };
      });
    },
  };
}

/** The day after a local date (an all-day slot's end). */
export const dayAfter = (d: string) => addDays(d, 1);
