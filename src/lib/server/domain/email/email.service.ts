import type { Deps } from '../../kernel/deps';
import { createSessions } from '../accounts/sessions';
import { createInbound, type PostingPorts } from './inbound';
import { createEmailPrefs } from './prefs';

/**
 * Email as a way to take part: notification levels and digest times (prefs), one-click
 * unsubscribe, and inbound mail (reply and post by email, bounces), which posts through the
 * `discussions` functions the composition root hands in. Notification mail is the mail
 * channel of the notification pipeline (channel.ts).
 */
export function createEmailService(deps: Deps, discussions: PostingPorts) {
  const sessions = createSessions(deps);
  return {
    ...createEmailPrefs(deps),
    ...createInbound(deps, { discussions, sessions }),
  };
}
export type EmailService = ReturnType<typeof createEmailService>;
