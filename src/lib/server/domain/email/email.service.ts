import type { Deps } from '../../kernel/deps';
import { createEmailPrefs } from './prefs';

/**
 * Email as a way to take part: notification levels and digest times (prefs), one-click
 * unsubscribe. Notification mails are enqueued by `notifyByEmail`, called by the
 * discussions service inside its own transactions.
 */
export function createEmailService(deps: Deps) {
  return {
    ...createEmailPrefs(deps),
  };
}
export type EmailService = ReturnType<typeof createEmailService>;
