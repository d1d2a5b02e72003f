import type { Config } from '../../config';
import type { MailMessage } from '../../kernel/outbox';
import { isLocale, translator, formatDate } from '../../../i18n';
import { summaryText, type Notice, type Recipient } from '../notifications';
import { absolutize, renderMail, type Block } from './mail-render';
import { reasonUnsubscribeToken } from './reason-tokens';
import { mailSecret, replyLocalPart, rsvpLocalPart, unsubscribeToken } from './tokens';
import { signActionLink, signedActionUrl } from '../../kernel/action-links';

/** When something takes place, in the member's language and zone ("mardi 3 mars 2026, 19:00 – 21:00"; a whole day: its date). */
export function whenText(w: NonNullable<Notice['data']['when']>, locale: string, timeZone: string): string {
  const lang = locale === 'en' ? 'en-GB' : locale === 'nl' ? 'nl-BE' : 'fr-BE';
  try {
    if (w.allDay) return new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeZone: w.timeZone ?? 'UTC' }).format(new Date(w.startsAt));
    const start = new Intl.DateTimeFormat(lang, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(w.startsAt));
    if (!w.endsAt) return start;
    const sameDay = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(w.startsAt)) === new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(w.endsAt));
    const end = new Intl.DateTimeFormat(lang, sameDay ? { timeStyle: 'short', timeZone } : { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(w.endsAt));
    return `${start} – ${end}`;
  } catch {
    return w.startsAt;
  }
}

export const listId = (slug: string, domain: string) => `${slug}.${domain}`;
/** A display name for a raw header: quoted ASCII, or an RFC 2047 encoded word. */
const phrase = (name: string) => (/^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '')}"` : `=?UTF-8?B?${Buffer.from(name).toString('base64')}?=`);

export { summaryText };

/**
 * One mail about one notice, or about several of the same discussion or conversation (what
 * waited in a merge window), fully rendered in the recipient's language. Threading headers
 * keep a discussion in one thread; a discussion's mail carries the member's signed reply
 * address; every mail has a one-click unsubscribe matching why it was sent.
 */
export function noticeMail(config: Config, notices: Notice[], r: Recipient): MailMessage {
  const n = notices[notices.length - 1];
  const d = n.data;
  const locale = isLocale(r.locale) ? r.locale : 'fr';
  const t = translator(locale);
  const secret = mailSecret(config.dataDir);
  const domain = config.mailDomain;
  const base = config.baseUrl;
  const byLevel = r.choice === 'level';
  const unsubscribe = `${base}/email/unsubscribe/${byLevel ? unsubscribeToken(secret, { userId: r.userId, groupId: n.groupId }) : reasonUnsubscribeToken(secret, { userId: r.userId, reason: r.reason })}`;
  const open = t(`email.open.${n.subjectKind}`) === `email.open.${n.subjectKind}` ? t('email.notify.open') : t(`email.open.${n.subjectKind}`);
  const merged = notices.length > 1;

  const blocks: Block[] = [];
  if (merged) {
    blocks.push({ kind: 'meta', text: t('email.merged', { count: notices.length, title: d.title }) });
    for (const x of notices) {
      blocks.push({ kind: 'meta', text: `${x.data.actor?.name ?? ''} · ${formatDate(x.createdAt, locale, r.timeZone)}` });
      if (x.data.body) blocks.push({ kind: 'html', html: absolutize(x.data.body.html, base), text: x.data.body.text });
      else if (x.data.excerpt) blocks.push({ kind: 'para', text: x.data.excerpt });
    }
    blocks.push({ kind: 'action', label: open, url: `${base}${notices[0].data.url}` });
  } else {
    blocks.push({ kind: 'meta', text: summaryText(t, d, r.reason) });
    if (d.thread && !d.thread.reply) blocks.push({ kind: 'heading', text: d.title });
    if (d.when) blocks.push({ kind: 'para', text: whenText(d.when, locale, r.timeZone) });
    if (d.body) blocks.push({ kind: 'html', html: absolutize(d.body.html, base), text: d.body.text });
    else if (d.excerpt) blocks.push({ kind: 'para', text: d.excerpt });
    // One-click actions, each signed for this recipient (the page they open asks before acting).
    const actions = (d.actions ?? []).filter((a) => a.url.startsWith('/') && !a.url.startsWith('//'));
    const signed = (a: (typeof actions)[number]) => {
      const at = new Date(n.createdAt);
      return `${base}${a.once ? `${a.url}?t=${signActionLink(secret, a.url, r.userId, at)}` : signedActionUrl(secret, a.url, r.userId, at)}`;
    };
    if (actions.length) blocks.push({ kind: 'actions', items: actions.map((a) => ({ label: t(a.label, a.params), url: signed(a) })) });
    blocks.push({ kind: 'action', label: open, url: `${base}${d.url}` });
  }
  const settings = d.group && byLevel ? `${base}/groups/${d.group.slug}/email` : `${base}/profile/notifications`;
  const { text, html } = renderMail({
    locale,
    title: d.title,
    blocks,
    footer: {
      text: d.replyTo?.kind === 'event' ? t('email.notify.footer_rsvp') : d.replyTo ? t('email.notify.footer', { group: d.group?.name ?? '' }) : d.group && byLevel ? t('email.notify.footer_group', { group: d.group.name }) : t('email.notify.footer_personal'),
      links: [
        { label: t('email.notify.settings'), url: settings },
        { label: byLevel && d.group ? t('email.notify.unsubscribe', { group: d.group.name }) : t('email.notify.unsubscribe_reason'), url: unsubscribe },
      ],
    },
  });

  const headers: Record<string, string> = {
    'List-Unsubscribe': `<${unsubscribe}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
  };
  if (d.group) {
    headers['List-Id'] = `${phrase(d.group.name)} <${listId(d.group.slug, domain)}>`;
    headers['List-Post'] = `<mailto:${d.group.slug}@${domain}>`;
  }
  const root = d.thread ? `<${d.thread.root}@${domain}>` : null;
  if (root && (d.thread!.reply || merged)) Object.assign(headers, { 'In-Reply-To': root, References: root });
  const subject = d.thread ? `${d.thread.reply || merged ? 'Re: ' : ''}${d.thread.subject}` : summaryText(t, d, r.reason);
  return {
    to: r.email,
    subject,
    text,
    html,
    // Stable: a retry is the same mail. Merged mails are named after their first notification.
    messageId: merged ? `<m-${r.notificationId}@${domain}>` : d.thread ? `<${d.thread.item}@${domain}>` : `<n-${n.id}@${domain}>`,
    fromName: d.actor ? (d.group ? `${d.actor.name} (${d.group.name})` : d.actor.name) : undefined,
    replyTo: d.replyTo ? `${d.replyTo.kind === 'event' ? rsvpLocalPart(secret, d.replyTo.id, r.userId, new Date(n.createdAt)) : replyLocalPart(secret, d.replyTo.id, r.userId, new Date(n.createdAt), d.replyTo.kind)}@${domain}` : undefined,
    headers,
    // An invitation, its update or its cancellation, for the recipient's calendar.
    ...(d.calendar && !merged ? { attachments: [{ filename: d.calendar.method === 'CANCEL' ? 'cancel.ics' : 'invite.ics', contentType: `text/calendar; charset=utf-8; method=${d.calendar.method}`, content: d.calendar.ics, method: d.calendar.method }] } : {}),
  };
}
