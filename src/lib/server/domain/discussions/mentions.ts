import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import { parse } from '../../kernel/validate';
import { authorize, type Actor } from '../../policy';
import { groupBySlugOr404, groupFactsOf, mentionedUsers } from './discussions.repo';
import { MentionCandidatesInput } from './schemas';

/**
 * The members a text mentions with `@handle` (never its author). Whether each may read the
 * discussion is the notification pipeline's question, asked as that member.
 */
export async function mentionedIds(tx: Tx, text: string, authorId: string): Promise<string[]> {
  return [...(await mentionedUsers(tx, text)).values()].filter((id) => id !== authorId);
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
