import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from './ports';

export type Received = { rcpt: string[]; from: string; raw: Buffer; parsed: ParsedMail };

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives: our outgoing mail goes there
 * through SMTP_URL. It can be stopped and started again on the same port, as an SMTP relay
 * that goes down and comes back.
 */
export async function startSink(opts: { port?: number } = {}) {
  const port = opts.port ?? (await freePort());
  const received: Received[] = [];
  let server: SMTPServer | null = null;
  const listen = async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          received.push({ rcpt: session.envelope.rcptTo.map((r) => r.address), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', raw, parsed: await simpleParser(raw) });
          cb();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
  };
  await listen();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Waits until `n` mails arrived (or throws after `ms`). */
    async waitFor(n: number, ms = 10_000) {
      const end = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > end) throw new Error(`sink: ${received.length}/${n} mails after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
    start: listen,
  };
}
