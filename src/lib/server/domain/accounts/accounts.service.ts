import type { Deps } from '../../kernel/deps';
import { createAuth } from './auth';
import { createProfile } from './profile';
import { createAdminUsers } from './admin-users';
import { createTokens } from './tokens';

/**
 * Accounts: logging in (password, magic link), password reset, registration, the member's
 * own profile, sessions and access tokens, and account administration. One object so every
 * surface (pages, JSON API, CLI) calls the same functions.
 *
 * For the invitation flow: `registerWithInvitation(tx, { email, name, password, locale, timeZone }, ctx)`
 * creates the account and its session inside the caller's transaction.
 */
export function createAccountsService(deps: Deps) {
  return { ...createAuth(deps), ...createProfile(deps), ...createTokens(deps), ...createAdminUsers(deps) };
}
export type AccountsService = ReturnType<typeof createAccountsService>;
