import type { Actor } from '../../policy';
import type { MailContent } from './inbound';
import { replyBody } from './quotes';

export type RsvpWord = 'yes' | 'maybe' | 'no';

/**
 * How mail answers an invitation, given by the composition root (mail never imports the
 * feature it answers). `byEvent`: a reply to the invitation's own address; `byUid`: a
 * calendar client's reply (iMIP, METHOD:REPLY) naming the event by its UID.
 */
export type RsvpPort = {
  byEvent(actor: Actor, raw: { eventId: string; answer: RsvpWord }): Promise<unknown>;
  byUid(actor: Actor, raw: { uid: string; answer: RsvpWord; recurrenceId?: string }): Promise<unknown>;
};

const YES = /^(yes|yep|yeah|y|ok|okay|oui|ouais|ja|jawel|jep|zeker|je viens|i['’]?ll come|i['’]?m coming|ik kom)\b/;
const NO = /^(no|nope|n|non|nee|neen|je ne viens pas|ik kom niet|not coming|i can['’]?t)\b/;
const MAYBE = /^(maybe|perhaps|peut[- ]?être|peut[- ]?etre|misschien|mogelijk|si besoin)\b/;

/**
 * The answer a reply gives, from its first written line (quotes and signatures cut):
 * "yes", "Oui !", "ja hoor" → yes; "no", "non merci", "nee" → no; "maybe", "peut-être",
 * "misschien" → maybe. Anything else: null (the sender is told how to answer).
 */
export function rsvpFromText(m: MailContent): RsvpWord | null {
  const body = replyBody(m) || m.subject.replace(/^\s*((re|aw|antw|tr|fwd?)\s*:\s*)+/i, '');
  const first = (body.split('\n').find((l) => l.trim()) ?? '').trim().toLowerCase().replace(/^[\s"'«“*_-]+/, '');
  if (MAYBE.test(first)) return 'maybe';
  if (NO.test(first)) return 'no';
  if (YES.test(first)) return 'yes';
  return null;
}

/**
 * A calendar client's answer to an invitation (RFC 6047: a text/calendar part with
 * METHOD:REPLY): the event's UID and the attendee's PARTSTAT; null when the mail has none.
 */
export function rsvpFromCalendar(m: MailContent): { uid: string; answer: RsvpWord; recurrenceId?: string } | null {
  const part = m.attachments.find((a) => /^text\/calendar\b/i.test(a.contentType));
  if (!part) return null;
  const ics = part.content.toString('utf8').replace(/\r?\n[ \t]/g, '');
  if (!/^METHOD:REPLY\s*$/im.test(ics)) return null;
  const uid = /^UID:(.+)$/im.exec(ics)?.[1]?.trim();
  const stat = /PARTSTAT=(ACCEPTED|DECLINED|TENTATIVE)/i.exec(ics)?.[1]?.toUpperCase();
  if (!uid || !stat) return null;
  const recurrenceId = /^RECURRENCE-ID[^:]*:(.+)$/im.exec(ics)?.[1]?.trim();
  return { uid: uid.slice(0, 200), answer: stat === 'ACCEPTED' ? 'yes' : stat === 'DECLINED' ? 'no' : 'maybe', ...(recurrenceId ? { recurrenceId } : {}) };
}
