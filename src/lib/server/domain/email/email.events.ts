/** Events of mail settings. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'email.settings_changed': { level: string };
    'email.group_level_changed': { level: string };
    'email.unsubscribed': Record<string, never>;
    /** A delivery report for mail we sent marked the member's address as failing. */
    'email.address_failed': { reason: string };
    'email.address_confirmation_sent': Record<string, never>;
    'email.address_confirmed': Record<string, never>;
    /** Mail in a member's name that could not be authenticated waits for their confirmation. */
    'email.held': { pendingId: string; kind: 'reply' | 'discussion' | 'task_reply' };
    'email.held_confirmed': { pendingId: string };
  }
}
export {};
