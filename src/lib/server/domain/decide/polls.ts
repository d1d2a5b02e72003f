import type { Tx } from '../../db/connect';
import type { PollKind } from '../../db/schema';
import { inTx } from '../../kernel/deps';
import { invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { once } from '../../kernel/idempotency';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { abilities, authorize, isUser, type Actor, type UserActor } from '../../policy';
import { deadlineOr, timeOr, zoneOr, dateOr, type Ctx } from './context';
import { groupBySlugOr404, groupFactsOf, isClosed, markdown, pollFacts, pollOr404, usersById, type GroupRow } from './repo';
import { CreateChoicePollInput, CreateDatePollInput, CreateProposalInput, GuestSettingInput, ListPollsInput, PollRef } from './schemas';
import { localToUtc } from './time';

type OptionRow = { label: string; startsAt: string | null; endsAt: string | null; allDay: number; localDate: string; localStart: string; localEnd: string };

/** Reads the rows of the new-poll forms (`date.N`, `start.N`, `end.N`; `option.N`) into the inputs' shapes; blank rows are left out. */
export function pollFormInput(f: Record<string, unknown>): Record<string, unknown> {
  const slots: { date: string; start: string; end: string }[] = [];
  const options: string[] = [];
  const rows = [...new Set(Object.keys(f).map((k) => /^(?:date|start|end|option)\.(\d{1,3})$/.exec(k)?.[1]).filter((x): x is string => !!x))].sort((a, b) => Number(a) - Number(b));
  const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
  for (const i of rows) {
    if (s(`date.${i}`)) slots.push({ date: s(`date.${i}`), start: s(`start.${i}`), end: s(`end.${i}`) });
    else if (s(`start.${i}`) || s(`end.${i}`)) invalidField(`date.${i}`, 'bad_date');
    if (s(`option.${i}`)) options.push(s(`option.${i}`));
  }
  const rest = Object.fromEntries(Object.entries(f).filter(([k]) => !/^(date|start|end|option)\.\d+$/.test(k)));
  return { ...rest, slots, options };
}

/** Date poll slots: real days and times, an end after the start, none in the past, no two alike. */
function slotRows(slots: { date: string; start?: string; end?: string }[], tz: string, now: Date): OptionRow[] {
  if (slots.length === 0) invalidField('slots', 'no_options');
  const seen = new Set<string>();
  return slots.map((s, i) => {
    const date = dateOr(s.date, `date.${i}`);
    const start = timeOr(s.start, `start.${i}`);
    const end = timeOr(s.end, `end.${i}`);
    if (end && !start) invalidField(`start.${i}`, 'required');
    if (start && end && end <= start) invalidField(`end.${i}`, 'bad_range');
    const key = `${date}|${start}|${end}`;
    if (seen.has(key)) invalidField(`date.${i}`, 'duplicate_option');
    seen.add(key);
    const startsAt = localToUtc(date, start, tz);
    // A whole day is in the past once it is over where it is proposed.
    const over = start ? startsAt : localToUtc(date, '23:59', tz);
    if (over.getTime() <= now.getTime()) invalidField(`date.${i}`, 'date_past');
    return { label: '', startsAt: startsAt.toISOString(), endsAt: end ? localToUtc(date, end, tz).toISOString() : null, allDay: start ? 0 : 1, localDate: date, localStart: start, localEnd: end };
  });
}

/** Choice poll options: at least two, none twice. */
function choiceRows(labels: string[]): OptionRow[] {
  const list = labels.map((l) => l.trim()).filter(Boolean);
  if (list.length === 0) invalidField('options', 'no_options');
  if (list.length < 2) invalidField('options', 'too_few_options');
  const seen = new Set<string>();
  for (const [i, l] of list.entries()) {
    const k = l.toLocaleLowerCase();
    if (seen.has(k)) invalidField(`option.${i}`, 'duplicate_option');
    seen.add(k);
  }
  return list.map((label) => ({ label, startsAt: null, endsAt: null, allDay: 0, localDate: '', localStart: '', localEnd: '' }));
}

/**
 * Creating, listing and removing polls of the three kinds: date polls (find a date),
 * choice polls (one or several options) and proposals (decided by consent). Every member
 * of the group is told of a new one, with one-click answers in their mail.
 */
export function createPolls(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;

  async function start(actor: Actor, g: GroupRow, kind: PollKind, key: string | undefined, row: Record<string, unknown>, options: OptionRow[]): Promise<{ id: string }> {
    const a = actor as UserActor;
    const id = await once(deps, { userId: a.userId, key, scope: 'poll.create' }, async (tx) => {
      const pollId = newId();
      const now = clock.now().toISOString();
      await tx
        .insertInto('polls')
        .values({
          id: pollId,
          groupId: g.id,
          kind,
          authorId: a.userId,
          title: '',
          description: '',
          descriptionHtml: '',
          multiple: 0,
          anonymous: 0,
          results: 'always',
          timeZone: 'Europe/Brussels',
          deadlineAt: null,
          closedAt: null,
          closedBy: null,
          outcome: '',
          outcomeHtml: '',
          chosenOptionId: null,
          eventId: null,
          quorumCount: null,
          quorumPercent: null,
          allowGuests: 0,
          guestVersion: 1,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
          ...row,
        })
        .execute();
      if (options.length)
        await tx
          .insertInto('pollOptions')
          .values(options.map((o, position) => ({ id: newId(), pollId, position, ...o })))
          .execute();
      await recordEvent(tx, { type: 'poll.created', groupId: g.id, actorId: a.userId, data: { pollId, kind } }, clock.now());
      return pollId;
    });
    return { id };
  }

  async function groupFor(actor: Actor, slug: string) {
    const g = await groupBySlugOr404(db, slug);
    authorize(actor, 'poll.create', groupFactsOf(g));
    if (!isUser(actor)) return unauthenticated();
    return g;
  }

  const service = {
    /** A poll of any kind, as the API creates one: `kind` (date, choice or proposal) says which form it takes. */
    async createPoll(actor: Actor, raw: unknown): Promise<{ id: string }> {
      const kind = raw && typeof raw === 'object' ? (raw as { kind?: unknown }).kind : undefined;
      if (kind === 'date') return service.createDatePoll(actor, raw);
      if (kind === 'choice') return service.createChoicePoll(actor, raw);
      if (kind === 'proposal') return service.createProposal(actor, raw);
      return invalidField('kind', 'bad_value');
    },

    /** A date poll: days or time slots in a zone, an optional deadline, guests if the group allows. */
    async createDatePoll(actor: Actor, raw: unknown) {
      const input = parse(CreateDatePollInput, raw);
      const g = await groupFor(actor, input.groupSlug);
      const tz = zoneOr(input.timeZone);
      const now = clock.now();
      const options = slotRows(input.slots, tz, now);
      const deadlineAt = deadlineOr(input.deadlineDate, input.deadlineTime, tz, now, false);
      if (input.allowGuests && !g.guestPolls) invalidField('allowGuests', 'guests_not_allowed');
      return start(actor, g, 'date', input.key, { title: input.title, description: input.description, descriptionHtml: markdown(input.description), timeZone: tz, deadlineAt, allowGuests: input.allowGuests ? 1 : 0 }, options);
    },

    /** A choice poll: one or several options, results shown always, after voting or after closing; anonymous if asked. */
    async createChoicePoll(actor: Actor, raw: unknown) {
      const input = parse(CreateChoicePollInput, raw);
      const g = await groupFor(actor, input.groupSlug);
      const tz = zoneOr(input.timeZone);
      const options = choiceRows(input.options);
      const deadlineAt = deadlineOr(input.deadlineDate, input.deadlineTime, tz, clock.now(), true);
      return start(actor, g, 'choice', input.key, { title: input.title, description: input.description, descriptionHtml: markdown(input.description), timeZone: tz, deadlineAt, multiple: input.multiple ? 1 : 0, anonymous: input.anonymous ? 1 : 0, results: input.results }, options);
    },

    /** A proposal decided by consent, with a deadline and an optional quorum (a number of members or a share of them). */
    async createProposal(actor: Actor, raw: unknown) {
      const input = parse(CreateProposalInput, raw);
      const g = await groupFor(actor, input.groupSlug);
      const tz = zoneOr(input.timeZone);
      const deadlineAt = deadlineOr(input.deadlineDate, input.deadlineTime, tz, clock.now(), true);
      if (input.quorum !== 'none' && !input.quorumValue) invalidField('quorumValue', 'required');
      if (input.quorum === 'percent' && input.quorumValue! > 100) invalidField('quorumValue', 'bad_value');
      const quorum = input.quorum === 'count' ? { quorumCount: input.quorumValue } : input.quorum === 'percent' ? { quorumPercent: input.quorumValue } : {};
      return start(actor, g, 'proposal', input.key, { title: input.title, description: input.description, descriptionHtml: markdown(input.description), timeZone: tz, deadlineAt, ...quorum }, []);
    },

    /** What the new-poll page needs: the group, whether its date polls may take guests. Members only. */
    async newPollForm(actor: Actor, raw: unknown) {
      const { groupSlug } = parse(ListPollsInput.pick({ groupSlug: true }), raw);
      const g = await groupFor(actor, groupSlug);
      return { group: { id: g.id, slug: g.slug, name: g.name, guestPolls: g.guestPolls === 1 } };
    },

    /** A group's polls, open ones first (nearest deadline first), then closed ones (newest first). */
    async listForGroup(actor: Actor, raw: unknown) {
      const input = parse(ListPollsInput, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      const rows = await db.selectFrom('polls').selectAll().where('groupId', '=', g.id).where('deletedAt', 'is', null).orderBy('createdAt', 'desc').limit(200).execute();
      const now = clock.now();
      const users = await usersById(db, rows.map((r) => r.authorId));
      const answered = await answeredBy(db, actor, rows.map((r) => r.id));
      const items = rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        author: users.get(r.authorId)?.name ?? '',
        createdAt: r.createdAt,
        deadlineAt: r.deadlineAt,
        closed: isClosed(r, now),
        outcome: r.outcome,
        answered: answered.has(r.id),
        url: `/polls/${r.id}`,
      }));
      const open = items.filter((p) => !p.closed).sort((a, b) => (a.deadlineAt ?? '9999').localeCompare(b.deadlineAt ?? '9999'));
      const closed = items.filter((p) => p.closed);
      return {
        group: { id: g.id, slug: g.slug, name: g.name, visibility: g.visibility, guestPolls: g.guestPolls === 1 },
        open: input.state === 'closed' ? [] : open,
        closed: input.state === 'open' ? [] : closed,
        can: abilities(actor, ['poll.create', 'group.guestPolls'], groupFactsOf(g)),
      };
    },

    /** Removes a poll (its author or a group admin): it is no longer shown, nor answered. */
    async remove(actor: Actor, raw: unknown): Promise<{ groupSlug: string }> {
      const { pollId } = parse(PollRef, raw);
      return inTx(deps, async (tx) => {
        const p = await pollOr404(tx, pollId);
        authorize(actor, 'poll.read', pollFacts(p, clock.now()));
        authorize(actor, 'poll.manage', pollFacts(p, clock.now()));
        await tx.updateTable('polls').set({ deletedAt: clock.now().toISOString() }).where('id', '=', p.id).execute();
        await recordEvent(tx, { type: 'poll.deleted', groupId: p.groupId, actorId: isUser(actor) ? actor.userId : null, data: { pollId: p.id } }, clock.now());
        return { groupSlug: p.group.slug };
      });
    },

    /** A group's admins let people without an account answer its date polls (or stop it: existing guest links stop working). */
    async setGuestPolls(actor: Actor, raw: unknown) {
      const input = parse(GuestSettingInput, raw);
      await inTx(deps, async (tx) => {
        const g = (await groupBySlugOr404(tx, input.groupSlug)) as GroupRow;
        authorize(actor, 'group.read', groupFactsOf(g));
        authorize(actor, 'group.guestPolls', groupFactsOf(g));
        await tx.updateTable('groups').set({ guestPolls: input.on ? 1 : 0 }).where('id', '=', g.id).execute();
        await recordEvent(tx, { type: 'guest_polls.changed', groupId: g.id, actorId: isUser(actor) ? actor.userId : null, data: { on: input.on } }, clock.now());
      });
      return { on: input.on };
    },
  };
  return service;
}

/** Of these polls, those the actor already answered (any kind). */
export async function answeredBy(db: Tx, actor: Actor, pollIds: string[]): Promise<Set<string>> {
  if (!isUser(actor) || pollIds.length === 0) return new Set();
  const [a, b, c] = await Promise.all([
    db.selectFrom('pollParticipants').select('pollId').where('userId', '=', actor.userId).where('pollId', 'in', pollIds).execute(),
    db.selectFrom('pollVoters').select('pollId').where('userId', '=', actor.userId).where('pollId', 'in', pollIds).execute(),
    db.selectFrom('pollResponses').select('pollId').where('userId', '=', actor.userId).where('pollId', 'in', pollIds).execute(),
  ]);
  return new Set([...a, ...b, ...c].map((r) => r.pollId));
}

/** Throws "not found" unless the poll exists, is not deleted and is of `kind`. */
export async function pollOfKind(db: Tx, id: string, kind: PollKind) {
  const p = await pollOr404(db, id);
  return p.kind === kind ? p : notFound();
}
