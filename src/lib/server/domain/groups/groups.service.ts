import type { Deps } from '../../kernel/deps';
import type { Actor } from '../../policy';
import { groupSeenBySlug, type GroupRef } from './group';
import { groupsQueries } from './groups.queries';
import { groupsCommands } from './groups.commands';
import { membershipCommands } from './membership';
import { invitationCommands } from './invitations';

export { groupFacts, type GroupRef } from './group';
export type { GroupNode, MemberView } from './groups.queries';

/**
 * Groups and working groups: creation, visibility, membership, invitations and links.
 * Every function takes the acting member first and unvalidated input after; the surfaces
 * (pages, /api/v1) call these and nothing else.
 */
export function createGroupsService(deps: Deps) {
  const { db } = deps;
  const queries = groupsQueries(deps);
  const commands = groupsCommands(deps);
  const membership = membershipCommands(deps);
  const invitations = invitationCommands(deps);
  return {
    /**
     * The group behind a slug after `authorize(actor, 'group.see')`; "not found" when it
     * does not exist or is hidden from the actor. Other features (discussions) start here,
     * then check their own abilities with `groupFacts(group)`.
     */
    bySlug(actor: Actor, slug: string): Promise<GroupRef> {
      return groupSeenBySlug(db, actor, slug);
    },
    ...queries,
    ...commands,
    ...membership,
    /** Invitations: by email or shareable link, to a group or (slug null) to the association. */
    invitations,
  };
}
export type GroupsService = ReturnType<typeof createGroupsService>;
