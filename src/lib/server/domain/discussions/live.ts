import { z } from 'zod';
import type { Deps } from '../../kernel/deps';
import { parse, text } from '../../kernel/validate';
import { can, type Actor } from '../../policy';
import { groupFacts } from '../groups/group';

const WatchInput = z.object({ groupIds: z.array(text().max(64)).max(200) });

/** Event types after which a group's discussion pages, lists and counts look different. */
export const LIVE_EVENT_TYPES = [
  'discussion.started',
  'discussion.edited',
  'discussion.deleted',
  'discussion.pinned',
  'discussion.unpinned',
  'discussion.locked',
  'discussion.unlocked',
  'comment.posted',
  'comment.edited',
  'comment.deleted',
  'reaction.added',
  'reaction.removed',
];

export function createLive(deps: Deps) {
  const { db } = deps;
  return {
    /**
     * Of the given groups, those whose discussions the actor may read (`group.read`): the
     * groups a live page may hear about. Unknown and hidden groups are left out alike.
     */
    async watchableGroups(actor: Actor, raw: unknown): Promise<string[]> {
      const { groupIds } = parse(WatchInput, raw);
      if (groupIds.length === 0) return [];
      const rows = await db.selectFrom('groups').select(['id', 'visibility', 'parentId']).where('id', 'in', [...new Set(groupIds)]).execute();
      return rows.filter((g) => can(actor, 'group.read', groupFacts(g))).map((g) => g.id);
    },
  };
}
