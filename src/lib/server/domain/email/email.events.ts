/** Events of mail settings. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'email.settings_changed': { level: string };
    'email.group_level_changed': { level: string };
    'email.unsubscribed': Record<string, never>;
  }
}
export {};
