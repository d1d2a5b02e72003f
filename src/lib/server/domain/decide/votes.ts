import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Position } from '../../db/schema';
import { inTx } from '../../kernel/deps';
import { conflict, invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import type { Ctx } from './context';
import { findPoll, isClosed, pollFacts, type PollRow } from './repo';
import { RespondInput, VoteInput } from './schemas';

/** The results of a choice poll, as far as the actor may see them: counts per option, and (named polls) who chose what. */
export async function choiceResults(db: Tx, p: PollRow, actor: Actor, now: Date) {
  const options = await db.selectFrom('pollOptions').select(['id', 'label']).where('pollId', '=', p.id).orderBy('position').execute();
  const voterCount = Number((await db.selectFrom('pollVoters').select((eb) => eb.fn.countAll<number>().as('n')).where('pollId', '=', p.id).executeTakeFirstOrThrow()).n);
  const voted = isUser(actor) ? !!(await db.selectFrom('pollVoters').select('userId').where('pollId', '=', p.id).where('userId', '=', actor.userId).executeTakeFirst()) : false;
  const closed = isClosed(p, now);
  const show = p.results === 'always' || closed || (p.results === 'voted' && voted);
  const anonymous = p.anonymous === 1;
  // What the member chose is known only in a named poll; an anonymous vote is not linked to its voter anywhere.
  const mine = isUser(actor) && !anonymous ? (await db.selectFrom('pollVotes').select('optionId').where('pollId', '=', p.id).where('userId', '=', actor.userId).execute()).map((r) => r.optionId) : [];
  const counts = new Map<string, number>();
  let voters: { name: string; optionIds: string[] }[] = [];
  if (show) {
    if (anonymous) for (const t of await db.selectFrom('pollTallies').select(['optionId', 'count']).where('pollId', '=', p.id).execute()) counts.set(t.optionId, Number(t.count));
    else {
      const rows = await db.selectFrom('pollVotes as v').innerJoin('users as u', 'u.id', 'v.userId').select(['v.optionId', 'v.userId', 'u.name']).where('v.pollId', '=', p.id).orderBy('u.name').execute();
      const by = new Map<string, { name: string; optionIds: string[] }>();
      for (const r of rows) {
        counts.set(r.optionId, (counts.get(r.optionId) ?? 0) + 1);
        (by.get(r.userId) ?? by.set(r.userId, { name: r.name, optionIds: [] }).get(r.userId)!).optionIds.push(r.optionId);
      }
      voters = [...by.values()];
    }
  }
  const top = Math.max(0, ...counts.values());
  return {
    options: options.map((o) => ({ id: o.id, label: o.label, count: show ? (counts.get(o.id) ?? 0) : null, leading: show && top > 0 && counts.get(o.id) === top })),
    show,
    voted,
    mine,
    voterCount,
    voters,
  };
}

/** A proposal's positions: counts, each member's position and reason, and the quorum. */
export async function proposalResults(db: Tx, p: PollRow, actor: Actor) {
  const rows = await db
    .selectFrom('pollResponses as r')
    .innerJoin('users as u', 'u.id', 'r.userId')
    .select(['r.userId', 'r.position', 'r.reason', 'r.updatedAt', 'u.name'])
    .where('r.pollId', '=', p.id)
    .orderBy('r.updatedAt')
    .execute();
  const counts: Record<Position, number> = { agree: 0, abstain: 0, disagree: 0, block: 0 };
  for (const r of rows) counts[r.position as Position]++;
  const members = Number((await db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).where('groupId', '=', p.groupId).executeTakeFirstOrThrow()).n);
  const needed = p.quorumCount ?? (p.quorumPercent ? Math.ceil((p.quorumPercent * members) / 100) : null);
  return {
    counts,
    responses: rows.map((r) => ({ userId: r.userId, name: r.name, position: r.position as Position, reason: r.reason, updatedAt: r.updatedAt })),
    mine: isUser(actor) ? (rows.find((r) => r.userId === actor.userId) ?? null) : null,
    members,
    quorum: needed === null ? null : { needed, responded: rows.length, reached: rows.length >= needed, count: p.quorumCount, percent: p.quorumPercent },
  };
}

/**
 * Voting in a choice poll and taking a position on a proposal, while they are open. A named
 * vote can be changed; an anonymous one counts once and is kept only as counts per option
 * (`poll_tallies`) beside the list of who voted (`poll_voters`), with nothing that links them:
 * no row per vote, no time, no order, and an event that names the poll only.
 */
export function createVotes(ctx: Ctx) {
  const { deps } = ctx;
  const { clock } = deps;

  async function open(tx: Tx, actor: Actor, id: string, kind: 'choice' | 'proposal') {
    const p = await findPoll(tx, id);
    if (!p || p.deletedAt || p.kind !== kind) return notFound();
    const now = clock.now();
    authorize(actor, 'poll.read', pollFacts(p, now));
    if (isClosed(p, now)) conflict('poll_closed');
    authorize(actor, 'poll.answer', pollFacts(p, now));
    if (!isUser(actor)) return unauthenticated();
    return { p, now, userId: actor.userId };
  }

  return {
    /** Votes for one option (single choice) or several (multiple choice). */
    async vote(actor: Actor, raw: unknown): Promise<{ pollId: string }> {
      const input = parse(VoteInput, raw);
      return inTx(deps, async (tx) => {
        const { p, now, userId } = await open(tx, actor, input.pollId, 'choice');
        const ids = [...new Set(input.optionIds)];
        if (ids.length === 0) invalidField('optionIds', 'answer_required');
        if (p.multiple !== 1 && ids.length > 1) invalidField('optionIds', 'one_choice');
        const valid = new Set((await tx.selectFrom('pollOptions').select('id').where('pollId', '=', p.id).execute()).map((o) => o.id));
        if (ids.some((i) => !valid.has(i))) invalidField('optionIds', 'bad_option');
        const at = now.toISOString();
        if (p.anonymous === 1) {
          const first = await tx.insertInto('pollVoters').values({ pollId: p.id, userId, votedAt: at }).onConflict((oc) => oc.columns(['pollId', 'userId']).doNothing()).executeTakeFirst();
          if (Number(first.numInsertedOrUpdatedRows ?? 0) === 0) conflict('already_voted');
          for (const optionId of ids)
            await tx
              .insertInto('pollTallies')
              .values({ pollId: p.id, optionId, count: 1 })
              .onConflict((oc) => oc.columns(['pollId', 'optionId']).doUpdateSet({ count: sql<number>`poll_tallies.count + 1` }))
              .execute();
        } else {
          await tx.insertInto('pollVoters').values({ pollId: p.id, userId, votedAt: at }).onConflict((oc) => oc.columns(['pollId', 'userId']).doUpdateSet({ votedAt: at })).execute();
          await tx.deleteFrom('pollVotes').where('pollId', '=', p.id).where('userId', '=', userId).execute();
          await tx.insertInto('pollVotes').values(ids.map((optionId) => ({ pollId: p.id, userId, optionId, createdAt: at }))).execute();
        }
        await recordEvent(tx, { type: 'poll.answered', groupId: p.groupId, actorId: userId, data: { pollId: p.id } }, now);
        return { pollId: p.id };
      });
    },

    /** Takes (or changes) a position on a proposal: agree, abstain, disagree, or block (a block needs its reason). */
    async respond(actor: Actor, raw: unknown): Promise<{ pollId: string }> {
      const input = parse(RespondInput, raw);
      if (input.position === 'block' && !input.reason) invalidField('reason', 'reason_required');
      return inTx(deps, async (tx) => {
        const { p, now, userId } = await open(tx, actor, input.pollId, 'proposal');
        const at = now.toISOString();
        await tx
          .insertInto('pollResponses')
          .values({ pollId: p.id, userId, position: input.position, reason: input.reason, createdAt: at, updatedAt: at })
          .onConflict((oc) => oc.columns(['pollId', 'userId']).doUpdateSet({ position: input.position, reason: input.reason, updatedAt: at }))
          .execute();
        await recordEvent(tx, { type: 'poll.answered', groupId: p.groupId, actorId: userId, data: { pollId: p.id } }, now);
        return { pollId: p.id };
      });
    },
  };
}
