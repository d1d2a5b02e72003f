import { renderSimpleMail } from '../../adapters/mail/render';
import type { MailMessage } from '../../kernel/outbox';
import { isLocale, translator, type Locale } from '../../../i18n';

/**
 * The mail a guest of a date poll asked for: the link that changes their answer (it carries
 * their secret, so only they have it). Not a notification: a guest has no account, so it
 * goes straight to the outbox, rendered in the language of the page they answered on.
 */
export function guestAnswerMail(o: { to: string; name: string; locale: string; title: string; url: string; mailDomain: string; id: string }): MailMessage {
  const locale: Locale = isLocale(o.locale) ? o.locale : 'fr';
  const t = translator(locale);
  const { text, html } = renderSimpleMail({
    locale,
    heading: t('decide.guest.mail_heading', { title: o.title }),
    paragraphs: [t('decide.guest.mail_hello', { name: o.name }), t('decide.guest.mail_body', { title: o.title })],
    action: { label: t('decide.guest.mail_action'), url: o.url },
    footer: t('decide.guest.mail_footer'),
  });
  return { to: o.to, subject: t('decide.guest.mail_subject', { title: o.title }), text, html, messageId: `<guest-${o.id}@${o.mailDomain}>` };
}
