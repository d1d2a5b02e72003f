/** Events of the association itself. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'instance.set_up': Record<string, never>;
    'instance.settings_changed': Record<string, never>;
  }
}
export {};
