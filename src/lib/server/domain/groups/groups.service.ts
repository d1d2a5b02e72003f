import type { Deps } from '../../kernel/deps';

/** Groups: to be filled in. */
export function createGroupsService(deps: Deps) {
  void deps;
  return {};
}
export type GroupsService = ReturnType<typeof createGroupsService>;
