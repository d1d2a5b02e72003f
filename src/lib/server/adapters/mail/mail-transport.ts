import nodemailer from 'nodemailer';
import fs from 'node:fs';
import path from 'node:path';
import type { MailMessage } from '../../kernel/outbox';

/**
 * Port: where outgoing mail goes. `returnPath` is the envelope sender (MAIL FROM), where
 * delivery reports come back; without it, the address of `from`.
 */
export interface MailTransport {
  send(msg: MailMessage, from: string, returnPath?: string): Promise<void>;
}

const threading = new Set(['in-reply-to', 'references']);
const header = (msg: MailMessage, name: string) => Object.entries(msg.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

function toNodemailer(msg: MailMessage, from: string, returnPath?: string) {
  const fromAddr = from.match(/<([^>]+)>/)?.[1] ?? from;
  return {
    ...(returnPath ? { envelope: { from: returnPath, to: [msg.to] } } : {}),
    from: msg.fromName ? { name: msg.fromName, address: fromAddr } : from,
    to: msg.to,
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    replyTo: msg.replyTo,
    messageId: msg.messageId,
    // Structured headers (List-Id, List-Unsubscribe, References) go out as written when they are
    // plain ASCII; nodemailer would otherwise MIME-encode some of them and break list handling.
    headers: msg.headers && Object.fromEntries(Object.entries(msg.headers).filter(([k]) => !threading.has(k.toLowerCase())).map(([k, v]) => [k, /^[\x20-\x7e]*$/.test(v) ? { prepared: true, value: v } : v])),
    inReplyTo: header(msg, 'in-reply-to'),
    references: header(msg, 'references'),
    // An invitation: the calendar object as an alternative part (mail clients show "Add to calendar") and as an .ics file.
    ...calendarParts(msg),
  };
}

function calendarParts(msg: MailMessage) {
  const all = msg.attachments ?? [];
  const ical = all.find((a) => a.method && /^text\/calendar\b/i.test(a.contentType));
  const rest = all.filter((a) => a !== ical).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType }));
  return {
    ...(ical ? { icalEvent: { method: ical.method, filename: ical.filename, content: ical.content } } : {}),
    ...(rest.length ? { attachments: rest } : {}),
  };
}

/** Real SMTP through nodemailer (`SMTP_URL`). */
export class SmtpMailTransport implements MailTransport {
  private readonly t;
  constructor(url: string) {
    this.t = nodemailer.createTransport(url);
  }
  async send(msg: MailMessage, from: string, returnPath?: string) {
    await this.t.sendMail(toNodemailer(msg, from, returnPath));
  }
}

/**
 * The embedded default: each mail becomes `<DATA_DIR>/mail/<time>-<id>.eml`, listed for
 * admins on the Outbox page, so magic links work on a fresh machine without an SMTP account.
 */
export class FileMailTransport implements MailTransport {
  private readonly t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  constructor(readonly dir: string) {}
  async send(msg: MailMessage, from: string, returnPath?: string) {
    const info = await this.t.sendMail(toNodemailer(msg, from, returnPath));
    fs.mkdirSync(this.dir, { recursive: true });
    // One file per (Message-ID, recipient): a notification to many members shares its Message-ID.
    const safeId = `${msg.messageId}-${msg.to}`.replace(/[^a-zA-Z0-9._-]/g, '_');
    const file = path.join(this.dir, `${safeId}.eml`);
    // Same Message-ID → same file: a retried send never shows twice.
    const tmp = file + '.tmp';
    fs.writeFileSync(tmp, info.message as Buffer);
    fs.renameSync(tmp, file);
  }
}

/** Test fake: keeps messages in memory. */
export class MemoryMailTransport implements MailTransport {
  readonly sent: (MailMessage & { from: string; returnPath?: string })[] = [];
  async send(msg: MailMessage, from: string, returnPath?: string) {
    if (!this.sent.some((m) => m.messageId === msg.messageId && m.to === msg.to)) this.sent.push({ ...msg, from, returnPath });
  }
}
