import type { Deps } from '../../kernel/deps';

/** Files: to be filled in. */
export function createFilesService(deps: Deps) {
  void deps;
  return {};
}
export type FilesService = ReturnType<typeof createFilesService>;
