import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import { newId, type UserId } from '../../kernel/ids';
import { parse } from '../../kernel/validate';
import { authorize, can, type Actor } from '../../policy';
import type { Role } from '../../db/schema';
import { discussionFacts, groupBySlugOr404, groupFactsOf, mentionedUsers, type DiscussionRow } from './discussions.repo';
import { MentionCandidatesInput } from './schemas';

/**
 * Writes one 'mention' notification per `@handle` in `text` whose user may read the
 * discussion (checked with the policy for that recipient, so no private content reaches a
 * non-member), never for the author, and never twice for the same item (edits re-run this).
 */
export async function notifyMentions(tx: Tx, p: { text: string; authorId: string; discussion: DiscussionRow; commentId: string | null; now: string }): Promise<string[]> {
  const users = await mentionedUsers(tx, p.text);
  const notified: string[] = [];
  for (const userId of users.values()) {
    if (userId === p.authorId) continue;
    const u = await tx.selectFrom('users').select(['isAdmin']).where('id', '=', userId).executeTakeFirstOrThrow();
    const roles = await tx.selectFrom('memberships').select(['groupId', 'role']).where('userId', '=', userId).execute();
    const recipient: Actor = { kind: 'user', userId: userId as UserId, isAdmin: u.isAdmin === 1, roles: new Map(roles.map((r) => [r.groupId, r.role as Role])) };
    if (!can(recipient, 'discussion.read', discussionFacts(p.discussion))) continue;
    let q = tx.selectFrom('notifications').select('id').where('userId', '=', userId).where('kind', '=', 'mention').where('discussionId', '=', p.discussion.id);
    q = p.commentId ? q.where('commentId', '=', p.commentId) : q.where('commentId', 'is', null);
    if (await q.executeTakeFirst()) continue;
    await tx
      .insertInto('notifications')
      .values({ id: newId(), userId, kind: 'mention', actorId: p.authorId, groupId: p.discussion.groupId, discussionId: p.discussion.id, commentId: p.commentId, data: '{}', createdAt: p.now, readAt: null })
      .execute();
    notified.push(userId);
  }
  return notified;
}

/** Escapes `%`, `_` and `\` for a LIKE pattern with ESCAPE '\'. */
const likePrefix = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

export function createMentions(deps: Deps) {
  const { db } = deps;
  return {
    /** Members of a group whose handle or name starts with `q`, for the editor's @ suggestions. */
    async mentionCandidates(actor: Actor, raw: unknown): Promise<{ id: string; handle: string; name: string }[]> {
      const input = parse(MentionCandidatesInput, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      const q = input.q.replace(/^@/, '');
      let query = db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.userId')
        .select(['users.id', 'users.handle', 'users.name'])
        .where('memberships.groupId', '=', g.id)
        .where('users.disabledAt', 'is', null);
      if (q) {
        const p = likePrefix(q);
        query = query.where((eb) =>
          eb.or([sql<boolean>`${eb.ref('users.handle')} LIKE ${p} ESCAPE '\\'`, sql<boolean>`LOWER(${eb.ref('users.name')}) LIKE ${p} ESCAPE '\\'`]),
        );
      }
      return query.orderBy('users.handle').limit(8).execute();
    },
  };
}
