import { z } from 'zod';
import { verifyActionPath } from '../../kernel/action-links';
import { notFound } from '../../kernel/errors';
import type { UserId } from '../../kernel/ids';
import { parse, text } from '../../kernel/validate';
import type { Actor } from '../../policy';
import { createSessions } from '../accounts/sessions';
import type { Ctx } from './context';
import { createDatePolls } from './datepoll';
import { createPollView } from './poll-view';
import { findPoll } from './repo';
import { createAgenda } from './agenda';
import { createRsvp } from './rsvp';
import { createVotes } from './votes';
import { fields } from '../../kernel/validate';

const Link = z.object({ id: fields.uuid, t: text().max(200, 'not_found') });

/**
 * The pages a mail's one-click buttons open. The link names the member (a token signed for
 * them and this page, kernel/action-links.ts), so a member who only reads mail answers
 * without logging in. Opening the link (GET) shows what will be done, since mail scanners
 * follow links; its button (POST) does it, through the same functions as the pages, so
 * the policy applies at that moment (a member who left the group can no longer answer).
 */
export function createMailLinks(ctx: Ctx) {
  const { deps } = ctx;
  const { db, clock } = deps;
  const sessions = createSessions(deps);
  const views = createPollView(ctx);
  const datePolls = createDatePolls(ctx);
  const votes = createVotes(ctx);
  const agenda = createAgenda(ctx);
  const rsvp = createRsvp(ctx);

  /** The member a link names for `path`, as an actor; "not found" for a forged, expired or foreign link, or a disabled account. */
  async function member(path: string, token: string): Promise<{ actor: Actor; name: string }> {
    const userId = verifyActionPath(ctx.secret(), path, token, clock.now()) ?? notFound();
    const u = await db.selectFrom('users').select(['id', 'name', 'disabledAt']).where('id', '=', userId).executeTakeFirst();
    if (!u || u.disabledAt) notFound();
    return { actor: await sessions.actorFor(userId as UserId), name: u!.name };
  }

  return {
    /** What a poll's mail link shows: the poll as its member sees it. */
    async pollLink(raw: unknown) {
      const { id, t } = parse(Link, raw);
      const { actor, name } = await member(`/polls/${id}/from-mail`, t);
      return { as: name, poll: await views.poll(actor, { pollId: id }) };
    },

    /** Answers a poll from its mail link: a date poll's grid, a vote, or a position on a proposal. */
    async answerPollLink(raw: unknown): Promise<{ pollId: string }> {
      const { id, t } = parse(Link, raw);
      const { actor } = await member(`/polls/${id}/from-mail`, t);
      const p = (await findPoll(db, id)) ?? notFound();
      const input = { ...(raw as Record<string, unknown>), pollId: id };
      if (p.kind === 'date') await datePolls.answerDatePoll(actor, input);
      else if (p.kind === 'choice') await votes.vote(actor, input);
      else await votes.respond(actor, input);
      return { pollId: id };
    },

    /** What an invitation's mail link shows: the event (the occurrence it names) as its member sees it. */
    async eventLink(raw: unknown) {
      const input = parse(Link.extend({ occurrence: text().max(20).optional() }), raw);
      const { actor, name } = await member(`/events/${input.id}/from-mail`, input.t);
      return { as: name, event: await agenda.event(actor, { eventId: input.id, occurrence: input.occurrence || undefined }) };
    },

    /** Answers an invitation from its mail link. */
    async rsvpLink(raw: unknown) {
      const input = parse(Link.extend({ occurrence: text().max(20).optional() }), raw);
      const { actor } = await member(`/events/${input.id}/from-mail`, input.t);
      return rsvp.rsvp(actor, { ...(raw as Record<string, unknown>), eventId: input.id, occurrence: input.occurrence || undefined });
    },
  };
}
