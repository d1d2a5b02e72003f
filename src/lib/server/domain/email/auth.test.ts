import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { aligned, authenticateMail, verdict, type AuthFacts } from './auth';
import { bounceLocalPart, parseBounceLocalPart } from './tokens';

const facts = (f: Partial<AuthFacts>): AuthFacts => ({ fromAddress: 'anne@example.org', envelopeFrom: 'anne@example.org', dmarc: 'none', dkimPass: [], spfPass: null, ...f });

describe('what counts as authenticated', () => {
  it.each([
    ['DMARC pass', { dmarc: 'pass' }, true],
    ['DMARC fail, even with a DKIM signature of another domain', { dmarc: 'fail', dkimPass: ['evil.example'] }, false],
    ['DMARC fail, even with an aligned DKIM pass (strict policy)', { dmarc: 'fail', dkimPass: ['mail.example.org'] }, false],
    ['no DMARC record, aligned DKIM pass', { dmarc: 'none', dkimPass: ['example.org'] }, true],
    ['no DMARC record, DKIM pass of a parent domain', { fromAddress: 'anne@lists.example.org', dkimPass: ['example.org'] }, true],
    ['no DMARC record, DKIM pass of a sibling domain', { fromAddress: 'anne@a.example.org', dkimPass: ['b.example.org'] }, false],
    ['no DMARC record, DKIM pass of an unrelated domain', { dkimPass: ['mailer.example'] }, false],
    ['no DMARC record, SPF pass for the From domain', { spfPass: 'example.org' }, true],
    ['no DMARC record, SPF pass for another domain', { spfPass: 'bounces.mailer.example', envelopeFrom: 'x@bounces.mailer.example' }, false],
    ['DNS trouble (temperror)', { dmarc: 'temperror', dkimPass: ['example.org'], spfPass: 'example.org' }, false],
    ['nothing at all', {}, false],
    ['no single From address', { fromAddress: null, dmarc: 'pass' }, false],
  ] as const)('%s → %s', (_, f, from) => {
    expect(verdict(facts(f), '').from).toBe(from);
  });

  it.each([
    ['SPF pass for the envelope domain, From not proven', { envelopeFrom: 'bounce@mailer.example', spfPass: 'mailer.example', dmarc: 'fail' }, true],
    ['authenticated mail, envelope in the From domain', { envelopeFrom: 'anne@example.org', dmarc: 'pass', dkimPass: ['example.org'] }, true],
    ['authenticated mail, envelope in another domain without SPF', { envelopeFrom: 'victim@elsewhere.example', dmarc: 'pass', dkimPass: ['example.org'] }, false],
    ['forged envelope, nothing passes', { envelopeFrom: 'victim@elsewhere.example', dmarc: 'fail' }, false],
    ['the null sender', { envelopeFrom: '', dmarc: 'pass', spfPass: 'example.org' }, false],
  ] as const)('envelope: %s → %s', (_, f, envelope) => {
    expect(verdict(facts(f), '').envelope).toBe(envelope);
  });

  it('aligns a domain with itself and its parents, never with siblings or a bare suffix', () => {
    expect(aligned('example.org', 'EXAMPLE.org.')).toBe(true);
    expect(aligned('mail.example.org', 'example.org')).toBe(true);
    expect(aligned('a.example.org', 'b.example.org')).toBe(false);
    expect(aligned('example.org', 'org')).toBe(false);
    expect(aligned('badexample.org', 'example.org')).toBe(false);
  });
});

describe('a trusted relay', () => {
  const settings = { trustedRelays: ['10.1.2.0/24'], authservId: 'mx.relay.example', mta: 'ruche.test' };
  const mail = (...ar: string[]) => Buffer.from([...ar.map((h) => `Authentication-Results: ${h}`), 'From: Anne <anne@example.org>', 'To: g@ruche.test', 'Subject: hi', '', 'Hello', ''].join('\r\n'));
  const smtp = { ip: '10.1.2.7', helo: 'mx.relay.example', envelopeFrom: 'anne@example.org' };
  const noDns = async (name: string) => {
    throw new Error(`no DNS expected, asked for ${name}`);
  };

  it('is believed for its own Authentication-Results, the topmost with its authserv-id', async () => {
    const a = await authenticateMail(mail('mx.relay.example;\r\n dkim=pass header.d=example.org; spf=pass smtp.mailfrom=anne@example.org; dmarc=pass (p=reject) header.from=example.org'), smtp, { ...settings, resolver: noDns });
    expect(a).toMatchObject({ from: true, envelope: true, fromAddress: 'anne@example.org' });
    // The sender wrote a "pass" of its own further down; the relay's fail above it counts.
    const forged = await authenticateMail(mail('mx.relay.example; dmarc=fail header.from=example.org; spf=fail smtp.mailfrom=anne@example.org', 'mx.relay.example; dmarc=pass header.from=example.org'), smtp, { ...settings, resolver: noDns });
    expect(forged).toMatchObject({ from: false, envelope: false });
  });

  it('ignores headers of other authserv-ids and verdicts about another From domain', async () => {
    expect((await authenticateMail(mail('mx.other.example; dmarc=pass header.from=example.org'), smtp, { ...settings, resolver: noDns })).from).toBe(false);
    expect((await authenticateMail(mail('mx.relay.example; dmarc=pass header.from=evil.example'), smtp, { ...settings, resolver: noDns })).from).toBe(false);
    // The DMARC verdict of a relay that writes the organisational domain still counts.
    expect((await authenticateMail(mail('mx.relay.example; dmarc=pass header.from=example.org'), smtp, { ...settings, resolver: noDns })).from).toBe(true);
    // Without DMARC from the relay: an aligned DKIM pass (header.i) still authenticates.
    expect((await authenticateMail(mail('mx.relay.example; dkim=pass header.i=@example.org'), smtp, { ...settings, resolver: noDns })).from).toBe(true);
  });

  it('is not believed from another address: there, mail is checked here (and fails without DNS records)', async () => {
    const lookups: string[] = [];
    const resolver = async (name: string, type: string) => {
      lookups.push(`${type} ${name}`);
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const a = await authenticateMail(mail('mx.relay.example; dmarc=pass header.from=example.org'), { ...smtp, ip: '::ffff:192.0.2.9' }, { ...settings, resolver });
    expect(a.from).toBe(false);
    expect(lookups).toContain('TXT _dmarc.example.org');
    // An IPv4-mapped address of the relay is the relay.
    expect((await authenticateMail(mail('mx.relay.example; dmarc=pass header.from=example.org'), { ...smtp, ip: '::ffff:10.1.2.7' }, { ...settings, resolver: noDns })).from).toBe(true);
  });
});

describe('configuration of inbound trust', () => {
  it('reads relays as CIDR blocks and the authserv-id', () => {
    const c = loadConfig({ MAIL_TRUSTED_RELAYS: '192.0.2.25, 10.0.0.0/8,2001:db8::/32', MAIL_TRUSTED_AUTHSERV_ID: 'MX.Example.org' });
    expect(c.mailTrustedRelays).toEqual(['192.0.2.25/32', '10.0.0.0/8', '2001:db8::/32']);
    expect(c.mailAuthservId).toBe('mx.example.org');
    expect(loadConfig({}).mailTrustedRelays).toEqual([]);
  });

  it('explains a wrong or half configuration', () => {
    const message = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message({ MAIL_TRUSTED_RELAYS: 'relay.example.org', MAIL_TRUSTED_AUTHSERV_ID: 'mx.example.org' })).toContain('MAIL_TRUSTED_RELAYS must be IP addresses or CIDR blocks');
    expect(message({ MAIL_TRUSTED_RELAYS: '10.0.0.0/33', MAIL_TRUSTED_AUTHSERV_ID: 'mx.example.org' })).toContain('MAIL_TRUSTED_RELAYS');
    expect(message({ MAIL_TRUSTED_RELAYS: '10.0.0.1' })).toContain('MAIL_TRUSTED_AUTHSERV_ID is required with MAIL_TRUSTED_RELAYS');
    expect(message({ MAIL_TRUSTED_AUTHSERV_ID: 'mx.example.org' })).toContain('MAIL_TRUSTED_RELAYS is required');
    expect(message({ MAIL_TRUSTED_RELAYS: '10.0.0.1', MAIL_TRUSTED_AUTHSERV_ID: 'mx example; org' })).toContain('MAIL_TRUSTED_AUTHSERV_ID must be');
  });
});

describe('signed return paths', () => {
  const secret = Buffer.alloc(32, 3);
  const now = new Date('2026-01-15T10:00:00Z');
  it('fit in a local part, name the member, and verify only for the address they were made for', () => {
    const local = bounceLocalPart(secret, 'ffffffff-ffff-7fff-bfff-ffffffffffff', 'Anne@Example.org', '<c-1@ruche.test>', now);
    expect(local).toMatch(/^bounce\+[0-9a-z.]+$/);
    expect(local.length).toBeLessThanOrEqual(64);
    const t = parseBounceLocalPart(secret, local.toUpperCase(), now)!;
    expect(t.userId).toBe('ffffffff-ffff-7fff-bfff-ffffffffffff');
    expect([t.check('anne@example.org'), t.check('bert@example.org'), t.expired]).toEqual([true, false, false]);
    expect(parseBounceLocalPart(Buffer.alloc(32, 4), local, now)!.check('anne@example.org')).toBe(false);
    expect(parseBounceLocalPart(secret, local, new Date('2026-03-15T10:00:00Z'))!.expired).toBe(true);
    // One mail, one return path.
    expect(bounceLocalPart(secret, null, 'anne@example.org', '<c-2@ruche.test>', now)).not.toBe(bounceLocalPart(secret, null, 'anne@example.org', '<c-3@ruche.test>', now));
  });
});
