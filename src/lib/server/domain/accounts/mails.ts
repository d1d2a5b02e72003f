import { renderSimpleMail } from '../../adapters/mail/render';
import type { MailMessage } from '../../kernel/outbox';
import { newId } from '../../kernel/ids';
import { isLocale, translator, type Locale } from '../../../i18n';

/**
 * The account mails (login link, password reset), rendered at enqueue time in the
 * recipient's language so a retried send is byte-for-byte the same mail.
 */
export function accountMail(
  kind: 'magic' | 'reset',
  o: { to: string; name: string; locale: string; url: string; minutes: number; associationName: string; mailDomain: string },
): MailMessage {
  const locale: Locale = isLocale(o.locale) ? o.locale : 'fr';
  const t = translator(locale);
  const p = { name: o.name, minutes: o.minutes, association: o.associationName };
  const { text, html } = renderSimpleMail({
    locale,
    heading: t(`accounts.mail.${kind}.heading`, p),
    paragraphs: [t('accounts.mail.greeting', p), t(`accounts.mail.${kind}.body`, p), t(`accounts.mail.${kind}.expiry`, p)],
    action: { label: t(`accounts.mail.${kind}.action`, p), url: o.url },
    footer: t('accounts.mail.footer', p),
  });
  // Essential: a member whose address was marked as failing must still be able to log in.
  return { to: o.to, subject: t(`accounts.mail.${kind}.subject`, p), text, html, messageId: `<${newId()}@${o.mailDomain}>`, essential: true };
}
