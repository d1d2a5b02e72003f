import type { Deps } from '../../kernel/deps';
import { createSessions } from '../accounts/sessions';
import { createAddressConfirmation } from './address';
import { createInbound, type PostingPorts, type TaskPorts } from './inbound';
import type { RsvpPort } from './rsvp';
import { createEmailPrefs } from './prefs';

/**
 * Email as a way to take part: notification levels and digest times (prefs), one-click
 * unsubscribe, inbound mail (reply and post by email, held mail waiting for its member's
 * confirmation, delivery reports) and confirming an address that bounced. Inbound mail posts
 * through the functions the composition root hands in (discussions, tasks, invitations); notification mail is the
 * mail channel of the notification pipeline (channel.ts).
 */
export function createEmailService(deps: Deps, discussions: PostingPorts, more: { tasks?: TaskPorts; rsvp?: RsvpPort } = {}) {
  const sessions = createSessions(deps);
  return {
    ...createEmailPrefs(deps),
    ...createInbound(deps, { discussions, sessions, ...more }),
    ...createAddressConfirmation(deps),
  };
}
export type EmailService = ReturnType<typeof createEmailService>;
