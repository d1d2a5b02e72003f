import type { Deps } from '../../kernel/deps';
import { createSessions } from '../accounts/sessions';
import { createDiscussionsService } from '../discussions/discussions.service';
import { createAddressConfirmation } from './address';
import { createInbound } from './inbound';
import { createEmailPrefs } from './prefs';

/**
 * Email as a way to take part: notification levels and digest times (prefs), one-click
 * unsubscribe, inbound mail (reply and post by email, held mail waiting for its member's
 * confirmation, delivery reports) and confirming an address that bounced. Notification mails are
 * enqueued by `notifyByEmail`, called by the discussions service inside its transactions.
 */
export function createEmailService(deps: Deps) {
  const discussions = createDiscussionsService(deps);
  const sessions = createSessions(deps);
  return {
    ...createEmailPrefs(deps),
    ...createInbound(deps, { discussions, sessions }),
    ...createAddressConfirmation(deps),
  };
}
export type EmailService = ReturnType<typeof createEmailService>;
