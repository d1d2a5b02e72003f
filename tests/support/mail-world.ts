import { generateKeyPairSync } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { Resolver } from '../../src/lib/server/domain/email/auth';

/**
 * The outside world of mail, on one machine: a DNS zone in memory (SPF, DKIM keys, DMARC
 * policies) injected into the inbound server as mailauth's resolver, and sending servers
 * bound to their own loopback addresses (127.0.0.x), so a test sends really DKIM-signed
 * mail from "the member's provider" and forged mail from a stranger's server, over SMTP.
 * Any name the zone does not hold answers ENOTFOUND, as DNS would; nothing leaves the machine.
 */
export function mailWorld() {
  const zone = new Map<string, string[][]>();
  const keys = new Map<string, string>();
  const lookups: string[] = [];
  const resolver: Resolver = async (name, type) => {
    const key = `${type.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '')}`;
    lookups.push(key);
    const r = zone.get(key);
    if (r) return r;
    throw Object.assign(new Error(`query${type} ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  };
  return {
    resolver,
    lookups,
    /**
     * Publishes a sending domain: SPF allowing `spf` (an IP, or null for no SPF record), a DKIM
     * key under selector `s1` (when `dkim`), and a DMARC record (null: the domain has none).
     */
    publish(domain: string, o: { spf?: string | null; dkim?: boolean; dmarc?: string | null }) {
      if (o.spf) zone.set(`TXT ${domain}`, [[`v=spf1 ip4:${o.spf} -all`]]);
      if (o.dkim) {
        const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        keys.set(domain, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
        zone.set(`TXT s1._domainkey.${domain}`, [[`v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`]]);
      }
      if (o.dmarc) zone.set(`TXT _dmarc.${domain}`, [[`v=DMARC1; ${o.dmarc}`]]);
    },
    /**
     * A sending server: connects to our inbound port from `ip` (a 127.0.0.x address), says
     * HELO `helo`, and DKIM-signs as `signAs` when given (the domain must be published with a key).
     */
    server(port: number, o: { ip: string; helo?: string; signAs?: string }) {
      const dkim = o.signAs ? { domainName: o.signAs, keySelector: 's1', privateKey: keys.get(o.signAs)! } : undefined;
      if (o.signAs && !dkim?.privateKey) throw new Error(`no DKIM key published for ${o.signAs}`);
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, localAddress: o.ip, name: o.helo ?? 'mx.sender.example', dkim });
      return (m: SendMailOptions) => t.sendMail(m);
    },
  };
}
