/** Events of the association itself. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'instance.set_up': Record<string, never>;
    'instance.settings_changed': Record<string, never>;
    /** An administrator hid the first-steps checklist of the home page. */
    'instance.checklist_dismissed': Record<string, never>;
  }
}
export {};
