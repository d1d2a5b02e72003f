import type { Deps } from '../../kernel/deps';

/** Accounts: to be filled in. */
export function createAccountsService(deps: Deps) {
  void deps;
  return {};
}
export type AccountsService = ReturnType<typeof createAccountsService>;
