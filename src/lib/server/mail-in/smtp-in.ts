import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { App } from '../app';
import type { InboundMail } from '../domain/email/inbound';

/** Inbound messages larger than this are refused at the SMTP level (552). */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

type Options = { port: number; host?: string; maxBytes?: number; log?: (m: string) => void };
export type InboundServer = { port: number; close(): Promise<void> };

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** Turns mailparser's result into the domain's InboundMail, one per envelope recipient. */
export function toInbound(p: ParsedMail, envelopeFrom: string, recipient: string): InboundMail {
  const headers: Record<string, string> = {};
  for (const line of p.headerLines) {
    const i = line.line.indexOf(':');
    headers[line.key.toLowerCase()] ??= i >= 0 ? line.line.slice(i + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : '';
  }
  const ct = p.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const contentType = ct?.value ? [ct.value, ...Object.entries(ct.params ?? {}).map(([k, v]) => `${k}=${v}`)].join('; ') : 'text/plain';
  return {
    envelopeFrom,
    recipient,
    from: p.from?.value[0]?.address ?? envelopeFrom,
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

/**
 * The inbound SMTP server (SMTP_IN_PORT): accepts mail for our domain only, refuses
 * oversize messages during the transfer, parses each message and hands it to the email
 * service once per recipient. A failure inside answers 451 so the sender's server retries.
 */
export async function startInboundSmtp(app: App, o: Options): Promise<InboundServer> {
  const domain = app.config.mailDomain.toLowerCase();
  const max = o.maxBytes ?? MAX_INBOUND_BYTES;
  const log = o.log ?? (() => {});
  const opts: SMTPServerOptions = {
    name: domain,
    banner: 'Ruche',
    size: max,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    maxClients: 50,
    onRcptTo(address, _session, cb) {
      if (!address.address.toLowerCase().endsWith(`@${domain}`)) return cb(smtpError(550, 'No such recipient here'));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (stream.sizeExceeded) return cb(smtpError(552, `Message too big (at most ${Math.round(max / 1024 / 1024)} MB)`));
        try {
          const parsed = await simpleParser(Buffer.concat(chunks));
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          for (const r of session.envelope.rcptTo) {
            const out = await app.email.receive(toInbound(parsed, from, r.address));
            log(`mail in ${r.address}: ${out.kind}${'reason' in out ? ` (${out.reason})` : ''}`);
          }
          cb();
        } catch (e) {
          log(`mail in failed: ${(e as Error).message}`);
          cb(smtpError(451, 'Temporary failure, please retry'));
        }
      });
    },
  };
  const server = new SMTPServer(opts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  server.on('error', (e) => log(`smtp in: ${e.message}`));
  const addr = server.server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : o.port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
