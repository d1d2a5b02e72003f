/** Events of accounts: sign-up, login, profile and administration. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'user.registered': { via: 'cli' | 'open' | 'invitation' | 'setup' };
    'user.logged_in': { method: 'password' | 'magic_link'; knownDevice?: boolean };
    'user.login_link_sent': Record<string, never>;
    'user.reset_link_sent': Record<string, never>;
    /** Credential events name the member whose sessions and tokens ended (open sockets close). */
    'user.password_reset': { userId: string };
    'user.password_changed': { userId: string };
    'user.logged_out_everywhere': { userId: string };
    'user.session_revoked': { userId: string };
    'user.token_revoked': { tokenId: string; userId: string };
    'user.profile_updated': { fields: string[] };
    'user.avatar_changed': Record<string, never>;
    'user.token_created': { tokenId: string; scope: string; expiresAt: string | null };
    'user.made_admin': { userId: string };
    'user.unmade_admin': { userId: string };
    'user.disabled': { userId: string };
    'user.enabled': { userId: string };
  }
}
export {};
