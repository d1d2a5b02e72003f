/** Events of accounts: sign-up, login, profile and administration. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'user.registered': { via: 'cli' | 'open' | 'invitation' | 'setup' };
    'user.logged_in': { method: 'password' | 'magic_link' };
    'user.login_link_sent': Record<string, never>;
    'user.reset_link_sent': Record<string, never>;
    'user.password_reset': Record<string, never>;
    'user.password_changed': Record<string, never>;
    'user.profile_updated': { fields: string[] };
    'user.avatar_changed': Record<string, never>;
    'user.token_created': { tokenId: string };
    'user.made_admin': { userId: string };
    'user.unmade_admin': { userId: string };
    'user.disabled': { userId: string };
    'user.enabled': { userId: string };
  }
}
export {};
