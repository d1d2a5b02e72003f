import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { App } from '../app';
import { parseMail } from '../adapters/mail/parse';
import { authenticateMail, relayList, type Resolver } from '../domain/email/auth';

/** Inbound messages larger than this are refused at the SMTP level (552). */
export const MAX_INBOUND_BYTES = 25 * 1024 * 1024;

type Options = {
  port: number;
  /** Interface to listen on (HOST); all interfaces when not given. */
  host?: string;
  maxBytes?: number;
  log?: (m: string) => void;
  /** DNS for SPF, DKIM and DMARC; the system resolver when not given (tests inject a zone). */
  resolver?: Resolver;
};
export type InboundServer = { port: number; close(): Promise<void> };

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * The inbound SMTP server (SMTP_IN_PORT): accepts mail for our domain only, refuses
 * oversize messages during the transfer, authenticates each message (SPF, DKIM, DMARC, or
 * a trusted relay's verdict), parses it and hands it to the email service once per
 * recipient. A failure inside answers 451 so the sender's server retries.
 */
export async function startInboundSmtp(app: App, o: Options): Promise<InboundServer> {
  const domain = app.config.mailDomain.toLowerCase();
  const max = o.maxBytes ?? MAX_INBOUND_BYTES;
  const log = o.log ?? (() => {});
  const settings = { trustedRelays: app.config.mailTrustedRelays, authservId: app.config.mailAuthservId, mta: domain, resolver: o.resolver };
  const relays = relayList(settings.trustedRelays);
  const opts: SMTPServerOptions = {
    name: domain,
    banner: 'Ruche',
    size: max,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // The client's name is not needed (SPF uses its address and HELO); no DNS per connection.
    disableReverseLookup: true,
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
          const raw = Buffer.concat(chunks);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          // Who really sent it: checked once per message, from the SMTP session's facts.
          const auth = await authenticateMail(raw, { ip: session.remoteAddress, helo: session.hostNameAppearsAs ?? '', envelopeFrom: from }, settings, relays);
          const content = await parseMail(raw);
          for (const r of session.envelope.rcptTo) {
            const out = await app.email.receive({ ...content, from: content.from || from, envelopeFrom: from, recipient: r.address, auth, raw });
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
