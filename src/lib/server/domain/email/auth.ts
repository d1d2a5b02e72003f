import { BlockList, isIP } from 'node:net';
import { authenticate } from 'mailauth';
import parseHeader from 'mailauth/lib/parse-dkim-headers.js';

/**
 * Who really sent an inbound mail. Anyone can write any `From:` header; only SPF, DKIM and
 * DMARC (checked here, or by a trusted relay in front of us) tie it to the domain's own
 * mail servers. Mail that is not authenticated is never posted as is (see pending.ts).
 */
export type MailAuth = {
  /**
   * The `From:` address is proven: DMARC passes for its domain, or, when the domain
   * publishes no DMARC policy, an aligned DKIM signature or SPF for that very domain passes.
   */
  from: boolean;
  /**
   * The envelope sender (MAIL FROM) is proven: SPF passes for its domain, or the mail is
   * authenticated and the envelope sender is in the same domain. Only then may we answer
   * it (a bounce to a forged envelope sender is backscatter to a stranger).
   */
  envelope: boolean;
  /** The `From:` address the checks speak about (lower-cased); null when there is not exactly one. */
  fromAddress: string | null;
  /** In a few words, for the record: "dmarc=pass", "relay mx.example.org: dmarc=fail"… */
  summary: string;
};

/** Mail whose origin nobody checked (a test calling the service directly, a missing header). */
export const UNAUTHENTICATED: MailAuth = { from: false, envelope: false, fromAddress: null, summary: 'not checked' };

/** A DNS lookup as mailauth calls it (`dns.promises.resolve`); tests inject their own zone. */
export type Resolver = (name: string, rrtype: string) => Promise<unknown>;

/** What the SMTP session tells about the sender; the message itself is the raw bytes. */
export type SmtpFacts = { ip: string; helo: string; envelopeFrom: string };

export type AuthSettings = {
  /** Addresses (CIDR) of relays whose Authentication-Results we believe. */
  trustedRelays: string[];
  /** The authserv-id those relays write (lower-case); null: no relay is trusted. */
  authservId: string | null;
  /** Our host name, written in our own Authentication-Results. */
  mta: string;
  /** Production leaves it unset: the system resolver. */
  resolver?: Resolver;
};

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');

/**
 * DMARC's "relaxed" alignment without a public-suffix list: the same domain, or one the
 * parent of the other (`mail.example.org` and `example.org`). Never across siblings, so a
 * shared parent such as a hosting provider's domain cannot vouch for its customers.
 */
export function aligned(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (!x || !y) return false;
  if (x === y) return true;
  const [long, short] = x.length > y.length ? [x, y] : [y, x];
  return short.includes('.') && long.endsWith(`.${short}`);
}

/** The facts both paths (our own checks, a relay's header) reduce to, and the one verdict over them. */
export type AuthFacts = {
  fromAddress: string | null;
  envelopeFrom: string;
  /** DMARC result for the From domain: pass, fail, none (no policy published), temperror… */
  dmarc: string;
  /** Domains whose DKIM signature passed. */
  dkimPass: readonly string[];
  /** The domain SPF passed for (MAIL FROM's, or HELO's for the null sender), if it passed. */
  spfPass: string | null;
};

/** Decides, from the facts, what is proven. Pure, so every branch is tested without DNS. */
export function verdict(f: AuthFacts, how: string): MailAuth {
  const fromDomain = f.fromAddress ? domainOf(f.fromAddress) : '';
  const envDomain = f.envelopeFrom ? domainOf(f.envelopeFrom) : '';
  const dmarc = f.dmarc.toLowerCase();
  const from =
    Boolean(fromDomain) &&
    (dmarc === 'pass' || (dmarc === 'none' && (f.dkimPass.some((d) => aligned(d, fromDomain)) || f.spfPass?.toLowerCase() === fromDomain)));
  const envelope = Boolean(envDomain) && (f.spfPass?.toLowerCase() === envDomain || (from && aligned(envDomain, fromDomain)));
  const summary = `${how}dmarc=${dmarc || 'none'} dkim=${f.dkimPass.length ? `pass(${f.dkimPass.join(',')})` : 'none'} spf=${f.spfPass ? `pass(${f.spfPass})` : 'none'}`;
  return { from, envelope, fromAddress: f.fromAddress, summary };
}

/** The header section of a raw message, unfolded, as [lower-cased name, value]. */
function headerLines(raw: Buffer): [string, string][] {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .map((l): [string, string] => {
      const i = l.indexOf(':');
      return i > 0 ? [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()] : ['', ''];
    })
    .filter(([k]) => k);
}

const addressIn = (v: string) => (/<([^<>@\s]+@[^<>\s]+)>/.exec(v)?.[1] ?? /([^\s<>"(),;:]+@[^\s<>"(),;:]+)/.exec(v)?.[1] ?? '').toLowerCase();

/**
 * Reads the topmost Authentication-Results header written by the trusted relay (RFC 8601:
 * the relay adds its own above whatever the sender wrote, and only its authserv-id counts).
 */
function relayFacts(raw: Buffer, s: SmtpFacts, authservId: string): AuthFacts | null {
  const lines = headerLines(raw);
  const froms = lines.filter(([k]) => k === 'from');
  const fromAddress = froms.length === 1 ? addressIn(froms[0][1]) || null : null;
  for (const [k, v] of lines) {
    if (k !== 'authentication-results') continue;
    const p = parseHeader(`Authentication-Results: ${v}`).parsed;
    if ((p.value ?? '').split(/\s+/)[0].toLowerCase() !== authservId) continue;
    const prop = (e: { [k: string]: unknown } | undefined, group: string, name: string) => String(((e?.[group] ?? {}) as Record<string, unknown>)[name] ?? '').toLowerCase();
    const dmarcFrom = prop(p.dmarc, 'header', 'from');
    const fromDomain = fromAddress ? domainOf(fromAddress) : '';
    // A DMARC verdict about another From domain than ours is no verdict about this mail (some
    // relays write the organisational domain in header.from, hence alignment, not equality).
    // A relay that does not check DMARC at all leaves the fallback (aligned DKIM, or SPF).
    const dmarc = !p.dmarc ? 'none' : dmarcFrom && fromDomain && aligned(dmarcFrom, fromDomain) ? p.dmarc.value.toLowerCase() : 'fail';
    const dkimPass = (p.dkim ?? []).filter((d) => d.value.toLowerCase() === 'pass').map((d) => prop(d, 'header', 'd') || domainOf(prop(d, 'header', 'i'))).filter(Boolean);
    const mailfrom = prop(p.spf, 'smtp', 'mailfrom');
    const spfDomain = mailfrom.includes('@') ? domainOf(mailfrom) : mailfrom;
    // SPF as the relay saw it speaks of the envelope it received: it must be the one we got.
    const spfPass = p.spf?.value.toLowerCase() === 'pass' && spfDomain && (!s.envelopeFrom || spfDomain === domainOf(s.envelopeFrom)) ? spfDomain : null;
    return { fromAddress, envelopeFrom: s.envelopeFrom, dmarc, dkimPass, spfPass };
  }
  return null;
}

const plainIp = (ip: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip) ? ip.slice(7) : ip);

/** Relays as a block list, built once per configuration. */
export function relayList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const c of cidrs) {
    const [addr, bits] = c.split('/');
    list.addSubnet(addr, Number(bits), isIP(addr) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/**
 * Authenticates one received message. From a trusted relay, its Authentication-Results
 * header decides; from anywhere else, we check SPF (client IP, HELO, MAIL FROM), DKIM and
 * DMARC ourselves with mailauth. Never throws for a bad message: it is then simply not
 * authenticated.
 */
export async function authenticateMail(raw: Buffer, s: SmtpFacts, o: AuthSettings, relays = relayList(o.trustedRelays)): Promise<MailAuth> {
  const ip = plainIp(s.ip);
  const family = isIP(ip);
  if (o.authservId && family && relays.check(ip, family === 6 ? 'ipv6' : 'ipv4')) {
    const facts = relayFacts(raw, s, o.authservId);
    if (!facts) return { ...UNAUTHENTICATED, summary: `relay ${ip}: no Authentication-Results from ${o.authservId}` };
    return verdict(facts, `relay ${o.authservId}: `);
  }
  try {
    const r = await authenticate(raw, {
      ip,
      helo: s.helo,
      sender: s.envelopeFrom,
      mta: o.mta,
      disableArc: true,
      disableBimi: true,
      ...(o.resolver ? { resolver: o.resolver as never } : {}),
    });
    const froms = r.dkim.headerFrom ?? [];
    const fromAddress = froms.length === 1 ? froms[0].toLowerCase() : null;
    const dkimPass = (r.dkim.results ?? []).filter((x) => x.status.result === 'pass' && x.signingDomain).map((x) => x.signingDomain.toLowerCase());
    const spfPass = r.spf && r.spf.status.result === 'pass' ? r.spf.domain.toLowerCase() : null;
    const dmarc = r.dmarc ? r.dmarc.status.result : froms.length === 1 ? 'none' : 'fail';
    return verdict({ fromAddress, envelopeFrom: s.envelopeFrom, dmarc, dkimPass, spfPass }, '');
  } catch (e) {
    return { ...UNAUTHENTICATED, summary: `checks failed: ${(e as Error).message}`.slice(0, 200) };
  }
}
