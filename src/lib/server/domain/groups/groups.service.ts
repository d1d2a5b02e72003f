import type { Deps } from '../../kernel/deps';
import type { Actor } from '../../policy';
import { groupSeenBySlug, type GroupRef } from './group';

export { groupFacts, type GroupRef } from './group';

/**
 * Groups and working groups: creation, visibility, membership, invitations and links.
 * Every function takes the acting member first and unvalidated input second.
 */
export function createGroupsService(deps: Deps) {
  const { db } = deps;
  return {
    /**
     * The group behind a slug after `authorize(actor, 'group.see')`; "not found" when it
     * does not exist or is hidden from the actor. Other features (discussions) start here,
     * then check their own abilities with `groupFacts(group)`.
     */
    bySlug(actor: Actor, slug: string): Promise<GroupRef> {
      return groupSeenBySlug(db, actor, slug);
    },
  };
}
export type GroupsService = ReturnType<typeof createGroupsService>;
