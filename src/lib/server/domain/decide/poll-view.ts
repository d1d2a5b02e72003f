import { inTx } from '../../kernel/deps';
import { conflict, invalidField, unauthenticated } from '../../kernel/errors';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { abilities, authorize, isUser, type Actor } from '../../policy';
import type { Ctx } from './context';
import { createDatePolls, dateGrid } from './datepoll';
import { recordDecision } from './decisions';
import { isClosed, markdown, pollFacts, pollOr404, usersById } from './repo';
import { ClosePollInput, PollRef } from './schemas';
import { choiceResults, proposalResults } from './votes';

/**
 * One poll as its page and the API show it, whatever its kind, and closing it: a date poll
 * on a chosen slot (it becomes an event), a choice poll or a proposal with an outcome
 * statement (required for a proposal) that goes to the group's decision log.
 */
export function createPollView(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;
  const datePolls = createDatePolls(ctx);

  return {
    /** The poll, its answers as far as the actor may see them, and what the actor may do. */
    async poll(actor: Actor, raw: unknown) {
      const { pollId } = parse(PollRef, raw);
      const p = await pollOr404(db, pollId);
      const now = clock.now();
      const facts = pollFacts(p, now);
      authorize(actor, 'poll.read', facts);
      const users = await usersById(db, [p.authorId, p.closedBy]);
      const can = abilities(actor, ['poll.answer', 'poll.manage'], facts);
      const base = {
        id: p.id,
        kind: p.kind,
        group: { id: p.group.id, slug: p.group.slug, name: p.group.name, visibility: p.group.visibility },
        title: p.title,
        description: p.description,
        descriptionHtml: p.descriptionHtml,
        author: { id: p.authorId, name: users.get(p.authorId)?.name ?? '' },
        createdAt: p.createdAt,
        deadlineAt: p.deadlineAt,
        closedAt: p.closedAt,
        closedBy: p.closedBy ? (users.get(p.closedBy)?.name ?? '') : null,
        closed: isClosed(p, now),
        outcome: p.outcome,
        outcomeHtml: p.outcomeHtml,
        timeZone: p.timeZone,
        multiple: p.multiple === 1,
        anonymous: p.anonymous === 1,
        results: p.results,
        eventId: p.eventId,
        chosenOptionId: p.chosenOptionId,
        allowGuests: p.allowGuests === 1,
        guestLink: can['poll.manage'] ? datePolls.guestLink(p) : null,
        can,
      };
      if (p.kind === 'date') return { ...base, date: await dateGrid(db, p, { userId: isUser(actor) ? actor.userId : null }), choice: null, proposal: null };
      if (p.kind === 'choice') return { ...base, date: null, choice: await choiceResults(db, p, actor, now), proposal: null };
      return { ...base, date: null, choice: null, proposal: await proposalResults(db, p, actor) };
    },

    /** Closes a poll (its author or a group admin), with an outcome; a date poll on its chosen slot. */
    async close(actor: Actor, raw: unknown): Promise<{ pollId: string; eventId: string | null }> {
      const input = parse(ClosePollInput, raw);
      const p = await pollOr404(db, input.pollId);
      const now = clock.now();
      authorize(actor, 'poll.read', pollFacts(p, now));
      authorize(actor, 'poll.manage', pollFacts(p, now));
      if (!isUser(actor)) return unauthenticated();
      if (p.closedAt) conflict('poll_closed');
      if (p.kind === 'date') return { pollId: p.id, ...(await datePolls.closeDatePoll(actor, p, input)) };
      if (p.kind === 'proposal' && !input.outcome) invalidField('outcome', 'outcome_required');
      await inTx(deps, async (tx) => {
        // Closed once: a second close of the same poll (two admins at once) changes nothing.
        const done = await tx.updateTable('polls').set({ closedAt: now.toISOString(), closedBy: actor.userId, outcome: input.outcome, outcomeHtml: markdown(input.outcome), updatedAt: now.toISOString() }).where('id', '=', p.id).where('closedAt', 'is', null).executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) conflict('poll_closed');
        let statement = input.outcome;
        if (!statement && p.kind === 'choice') {
          const r = await choiceResults(tx, { ...p, closedAt: now.toISOString() }, actor, now);
          statement = r.options.map((o) => `${o.label}: ${o.count ?? 0}`).join('\n');
        }
        await recordDecision(tx, { groupId: p.groupId, kind: p.kind, sourceId: p.id, title: p.title, statement, url: `/polls/${p.id}`, decidedAt: now.toISOString(), recordedBy: actor.userId, at: now });
        await recordEvent(tx, { type: 'poll.closed', groupId: p.groupId, actorId: actor.userId, data: { pollId: p.id, eventId: null } }, now);
      });
      return { pollId: p.id, eventId: null };
    },
  };
}
