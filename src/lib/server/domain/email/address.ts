import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { notFound, rateLimited, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { enqueueJob, recordEvent } from '../../kernel/outbox';
import { parse, text } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';
import { isLocale, translator } from '../../../i18n';
import { renderSimpleMail } from '../../adapters/mail/render';
import { LIMITS, blockedFor, mailKey, recordAttempt } from '../accounts/rate-limit';
import { ADDRESS_LINK_HOURS, addressToken, mailSecret, parseAddressToken } from './tokens';

const TokenInput = z.object({ token: text().max(100, 'link_unknown') });

/** What the confirmation link's page shows: whose address, and whether there is anything to do. */
export type AddressLinkView = { email: string; state: 'valid' | 'done' | 'expired' };

/**
 * Getting mail again after a bounce. Once a delivery report marked a member's address as
 * failing, nothing but essential mail goes there; the member asks for a confirmation link
 * from their email settings, and opening it proves the address receives mail again. The
 * link only works for the failure it was asked for, and for the address it was sent to.
 */
export function createAddressConfirmation(deps: Deps) {
  const { db, clock, config } = deps;
  const secret = () => mailSecret(config.dataDir);

  async function resolve(raw: unknown) {
    const { token } = parse(TokenInput, raw);
    const t = parseAddressToken(secret(), token) ?? notFound();
    const u = (await db.selectFrom('users').select(['id', 'email', 'disabledAt', 'mailFailingAt']).where('id', '=', t.userId).executeTakeFirst()) ?? notFound();
    if (u.disabledAt || !t.check(u.email)) notFound();
    const now = clock.now();
    const state: AddressLinkView['state'] = !u.mailFailingAt
      ? 'done'
      : // Asked before the latest failure, or too old: it proves nothing about the address today.
        u.mailFailingAt > new Date(t.issued.getTime() + 999).toISOString() || now.getTime() - t.issued.getTime() > ADDRESS_LINK_HOURS * 3600_000
        ? 'expired'
        : 'valid';
    return { user: u, state };
  }

  return {
    /**
     * "Confirm my address" on the email settings page: mails a link to the member's address.
     * An essential mail, so it goes even though the address is marked as failing. Limited
     * like login links (a few per quarter hour).
     */
    async requestAddressConfirmation(actor: Actor): Promise<{ sent: boolean }> {
      authorize(actor, 'email.settings');
      if (!isUser(actor)) return unauthenticated();
      const u = await db.selectFrom('users').select(['id', 'email', 'name', 'locale', 'mailFailingAt']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
      if (!u.mailFailingAt) return { sent: false };
      const now = clock.now();
      const wait = await blockedFor(db, mailKey(u.email), LIMITS.mail, now);
      if (wait !== null) rateLimited('rate_limited', { minutes: wait });
      const locale = isLocale(u.locale) ? u.locale : 'fr';
      const t = translator(locale);
      const p = { name: u.name, email: u.email, hours: ADDRESS_LINK_HOURS };
      const url = `${config.baseUrl}/email/address/${addressToken(secret(), u.id, u.email, now)}`;
      const { text, html } = renderSimpleMail({
        locale,
        heading: t('email.address.heading', p),
        paragraphs: [t('email.address.body', p), t('email.address.expiry', p)],
        action: { label: t('email.address.action', p), url },
        footer: t('email.address.footer', p),
      });
      await inTx(deps, async (tx) => {
        await enqueueJob(tx, 'mail.send', { to: u.email, subject: t('email.address.subject', p), text, html, messageId: `<address-${newId()}@${config.mailDomain}>`, essential: true }, now);
        await recordAttempt(tx, [mailKey(u.email)], now);
        await recordEvent(tx, { type: 'email.address_confirmation_sent', actorId: u.id }, now);
      });
      return { sent: true };
    },

    /** The link's page (GET): whose address, and whether confirming is still possible. Changes nothing. */
    async addressLinkInfo(raw: unknown): Promise<AddressLinkView> {
      const { user, state } = await resolve(raw);
      return { email: user.email, state };
    },

    /** The link's button (POST): the address receives mail again. Doing it twice changes nothing. */
    async confirmAddress(raw: unknown): Promise<AddressLinkView> {
      const { user, state } = await resolve(raw);
      if (state !== 'valid') return { email: user.email, state };
      await inTx(deps, async (tx) => {
        const now = clock.now();
        await tx.updateTable('users').set({ mailFailingAt: null, mailFailingReason: null }).where('id', '=', user.id).execute();
        await recordEvent(tx, { type: 'email.address_confirmed', actorId: user.id }, now);
      });
      return { email: user.email, state: 'done' };
    },
  };
}
