import type { Deps } from '../../kernel/deps';
import type { MailMessage } from '../../kernel/outbox';
import type { MailTransport } from '../../adapters/mail/mail-transport';
import { bounceLocalPart, mailSecret } from './tokens';

export type SendOutcome = 'sent' | 'held_failing';

/**
 * The one place every mail job goes out (the 'mail.send' handler calls it), whatever
 * enqueued it. Two rules live here so no sender can forget them:
 * - an address marked as failing gets nothing until its owner confirms it again, except
 *   essential mail (login link, password reset, the address confirmation);
 * - each mail leaves with its own signed return path (`bounce+…@MAIL_DOMAIN`), so a
 *   delivery report can be tied to a mail we really sent to that address.
 * A held mail counts as done (it is not retried): the member sees the failing mark on
 * their profile and confirms their address to receive mail again.
 */
export function createMailSender(deps: Deps, transport: MailTransport) {
  const { db, config, clock, log } = deps;
  const domain = config.mailDomain.toLowerCase();
  return async function send(m: MailMessage): Promise<SendOutcome> {
    const to = m.to.trim().toLowerCase();
    const user = await db.selectFrom('users').select(['id', 'mailFailingAt']).where('email', '=', to).executeTakeFirst();
    if (user?.mailFailingAt && !m.essential) {
      log(`mail ${m.messageId} to ${to} not sent: the address is marked as failing since ${user.mailFailingAt}`);
      return 'held_failing';
    }
    const returnPath = `${bounceLocalPart(mailSecret(config.dataDir), user?.id ?? null, to, m.messageId, clock.now())}@${domain}`;
    await transport.send(m, config.mailFrom, returnPath);
    return 'sent';
  };
}
