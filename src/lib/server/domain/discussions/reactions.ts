import type { Tx } from '../../db/connect';
import { inTx, type Deps } from '../../kernel/deps';
import { notFound } from '../../kernel/errors';
import { parse } from '../../kernel/validate';
import { recordEvent } from '../../kernel/outbox';
import { authorize, isUser, type Actor } from '../../policy';
import { commentFacts, discussionFacts, findComment, findDiscussion } from './discussions.repo';
import { REACTIONS, ReactInput, type ReactionEmoji } from './schemas';
import type { ReactionView } from './views';

/** Reaction counts per target, in palette order, with whether the actor reacted. */
export async function reactionsFor(db: Tx, actor: Actor, targetIds: string[]): Promise<Map<string, ReactionView[]>> {
  const out = new Map<string, ReactionView[]>();
  if (targetIds.length === 0) return out;
  const me = isUser(actor) ? actor.userId : '';
  const rows = await db
    .selectFrom('reactions')
    .select((eb) => [
      'targetId',
      'emoji',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('userId', '=', me).then(1).else(0).end()).as('mine'),
    ])
    .where('targetId', 'in', targetIds)
    .groupBy(['targetId', 'emoji'])
    .execute();
  for (const r of rows) {
    const list = out.get(r.targetId) ?? [];
    list.push({ emoji: r.emoji as ReactionEmoji, count: Number(r.n), mine: Number(r.mine) > 0 });
    out.set(r.targetId, list);
  }
  for (const list of out.values()) list.sort((a, b) => REACTIONS.indexOf(a.emoji) - REACTIONS.indexOf(b.emoji));
  return out;
}

export function createReactions(deps: Deps) {
  const { db, clock } = deps;
  return {
    /**
     * Adds the actor's reaction to a discussion or comment, or removes it when present
     * (a toggle, so a plain form button works). Returns the target's new counts.
     */
    async react(actor: Actor, raw: unknown): Promise<{ targetId: string; added: boolean; reactions: ReactionView[] }> {
      const input = parse(ReactInput, raw);
      return inTx(deps, async (tx) => {
        const d = await findDiscussion(tx, input.targetId);
        let groupId: string;
        let discussionId: string;
        if (d) {
          authorize(actor, 'discussion.read', discussionFacts(d));
          authorize(actor, 'discussion.react', discussionFacts(d));
          groupId = d.groupId;
          discussionId = d.id;
        } else {
          const c = (await findComment(tx, input.targetId)) ?? notFound();
          authorize(actor, 'discussion.read', discussionFacts(c.discussion));
          authorize(actor, 'comment.react', commentFacts(c));
          groupId = c.groupId;
          discussionId = c.discussionId;
        }
        if (!isUser(actor)) return notFound();
        const key = (q: any) => q.where('targetId', '=', input.targetId).where('userId', '=', actor.userId).where('emoji', '=', input.emoji);
        const had = await key(tx.selectFrom('reactions').select('emoji')).executeTakeFirst();
        const now = clock.now();
        if (had) await key(tx.deleteFrom('reactions')).execute();
        else await tx.insertInto('reactions').values({ targetId: input.targetId, userId: actor.userId, emoji: input.emoji, createdAt: now.toISOString() }).execute();
        await recordEvent(tx, { type: had ? 'reaction.removed' : 'reaction.added', groupId, actorId: actor.userId, data: { targetId: input.targetId, discussionId, emoji: input.emoji } }, now);
        const reactions = (await reactionsFor(tx, actor, [input.targetId])).get(input.targetId) ?? [];
        return { targetId: input.targetId, added: !had, reactions };
      });
    },
  };
}
