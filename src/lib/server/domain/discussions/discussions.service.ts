import type { Deps } from '../../kernel/deps';

/** Discussions: to be filled in. */
export function createDiscussionsService(deps: Deps) {
  void deps;
  return {};
}
export type DiscussionsService = ReturnType<typeof createDiscussionsService>;
