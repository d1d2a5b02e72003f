import { simpleParser } from 'mailparser';
import type { MailContent } from '../../domain/email/inbound';

/**
 * Parses a raw message (RFC 5322) into what the email domain reads: the inbound SMTP
 * server uses it on arrival, and a held message is parsed again from its saved .eml when
 * the member confirms it, so the attachments posted are the ones that came.
 */
export async function parseMail(raw: Buffer): Promise<MailContent> {
  const p = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const line of p.headerLines) {
    const i = line.line.indexOf(':');
    headers[line.key.toLowerCase()] ??= i >= 0 ? line.line.slice(i + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : '';
  }
  const ct = p.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const contentType = ct?.value ? [ct.value, ...Object.entries(ct.params ?? {}).map(([k, v]) => `${k}=${v}`)].join('; ') : 'text/plain';
  return {
    from: p.from?.value[0]?.address ?? '',
    subject: p.subject ?? '',
    messageId: p.messageId ?? null,
    // An HTML-only mail has no text part of its own: the domain cuts the HTML's quotes itself.
    text: /^text\/html/i.test(contentType) ? null : (p.text ?? null),
    html: typeof p.html === 'string' ? p.html : null,
    headers,
    contentType,
    attachments: p.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
  };
}
