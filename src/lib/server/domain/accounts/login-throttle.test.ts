import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { linkFromMail, makeInstance, makeUser } from '../../../../../tests/support/accounts-factories';
import { isDomainError } from '../../kernel/errors';
import { translator } from '../../../i18n';
import { delayAfter, RULES } from './throttle';

const PW = 'correct horse battery';
const WRONG = 'not the password at all';

/** "kind:code" of a domain error, "ok" on success; with the wait it announces for throttled attempts. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return e.kind === 'rate_limited' ? `wait:${e.code === 'login_wait_minutes' ? `${e.params.count}m` : `${e.params.count}s`}` : `${e.kind}:${e.code}`;
  }
  return 'ok';
}

describe('growing delays', () => {
  it('are free for a few failures, then 1 s, 2 s, 4 s… up to 15 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 12, 13, 40, 1000].map((n) => delayAfter(RULES.pair, n) / 1000)).toEqual([0, 0, 0, 1, 2, 4, 8, 512, 900, 900, 900]);
    expect(delayAfter(RULES.account, RULES.account.free - 1)).toBe(0);
    expect(delayAfter(RULES.source, RULES.source.free - 1)).toBe(0);
  });
});

describe.each(engines)('%s: login throttles', (engine) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp(engine);
    await makeInstance(app);
  });
  afterEach(async () => app.cleanup());

  const login = (email: string, password: string, ip: string, deviceCookie?: string | null) => app.accounts.login({ email, password }, { ip, deviceCookie });
  /** Fails from `ip` as soon as it may, `n` times (waiting out each delay), like a patient attacker. */
  async function failPatiently(email: string, ip: string, n: number) {
    for (let i = 0; i < n; i++) {
      for (;;) {
        const r = await outcome(login(email, WRONG, ip));
        if (r === 'invalid:bad_credentials') break;
        expect(r).toMatch(/^wait:/);
        app.clock.advance(delayAfter(RULES.pair, 20));
      }
    }
  }

  it('slow one source down for one account with growing delays, and say how long to wait in the member’s language', async () => {
    await makeUser(app, { email: 'anne@example.org', password: PW });
    const ip = '198.51.100.7';
    for (let i = 0; i < 3; i++) expect(await outcome(login('anne@example.org', WRONG, ip))).toBe('invalid:bad_credentials');
    // Fourth try: one second later at the earliest, then 2 s, 4 s, 8 s…
    for (const seconds of [1, 2, 4, 8, 16]) {
      expect(await outcome(login('anne@example.org', PW, ip))).toBe(`wait:${seconds}s`);
      app.clock.advance(seconds * 1000);
      expect(await outcome(login('anne@example.org', WRONG, ip))).toBe('invalid:bad_credentials');
    }
    for (let i = 0; i < 6; i++) {
      app.clock.advance(15 * 60_000);
      await outcome(login('anne@example.org', WRONG, ip));
    }
    // Capped at about 15 minutes, said in minutes.
    try {
      await login('anne@example.org', PW, ip);
      expect.unreachable();
    } catch (e) {
      expect(isDomainError(e) && [e.kind, e.code, e.params.count]).toEqual(['rate_limited', 'login_wait_minutes', 15]);
      if (!isDomainError(e)) throw e;
      expect(translator('fr')(`errors.${e.code}`, e.params)).toContain('Attendez 15 minutes');
      expect(translator('nl')(`errors.${e.code}`, e.params)).toContain('Wacht 15 minuten');
      expect(translator('en')(`errors.${e.code}`, e.params)).toContain('Wait 15 minutes');
    }
    // Once the delay has passed, the right password works and the pair starts afresh.
    app.clock.advance(15 * 60_000);
    expect(await outcome(login('anne@example.org', PW, ip))).toBe('ok');
    for (let i = 0; i < 3; i++) expect(await outcome(login('anne@example.org', WRONG, ip))).toBe('invalid:bad_credentials');
  });

  it('never lock the owner out because an attacker elsewhere keeps failing', async () => {
    const anne = await makeUser(app, { email: 'anne@example.org', password: PW });
    await failPatiently('anne@example.org', '203.0.113.66', 40);
    expect(await outcome(login('anne@example.org', PW, '203.0.113.66'))).toMatch(/^wait:/);
    // The owner, from her own address, with the right password, at once.
    const s = await login('anne@example.org', PW, '192.0.2.10');
    expect(s.userId).toBe(anne.id);
    // Her own typos are counted on her own address only.
    for (let i = 0; i < 3; i++) expect(await outcome(login('anne@example.org', WRONG, '192.0.2.10'))).toBe('invalid:bad_credentials');
    app.clock.advance(1000);
    expect(await outcome(login('anne@example.org', PW, '192.0.2.10'))).toBe('ok');
  });

  it('let a known device through an attack spread over many addresses', async () => {
    const anne = await makeUser(app, { email: 'anne@example.org', password: PW });
    const bob = await makeUser(app, { email: 'bob@example.org', password: PW });
    const earlier = await login('anne@example.org', PW, '192.0.2.10');
    expect(earlier.device).toBeTruthy();
    const bobsDevice = (await login('bob@example.org', PW, '192.0.2.10')).device;
    // Two wrong tries from each of many addresses: no pair is throttled, the account is.
    for (let i = 0; i < 15; i++) for (let k = 0; k < 2; k++) await outcome(login('anne@example.org', WRONG, `203.0.113.${i}`));
    expect(await outcome(login('anne@example.org', PW, '192.0.2.99'))).toMatch(/^wait:/);
    expect(await outcome(login('anne@example.org', PW, '192.0.2.99', bobsDevice))).toMatch(/^wait:/);
    expect(await outcome(login('anne@example.org', PW, '192.0.2.99', 'forged.cookie.value.x'))).toMatch(/^wait:/);
    // The browser she logged in with before passes, from any address.
    const s = await login('anne@example.org', PW, '192.0.2.99', earlier.device);
    expect(s.userId).toBe(anne.id);
    expect(s.device).toBeTruthy();
    // One cookie remembers both accounts of a shared browser.
    const both = await login('bob@example.org', PW, '192.0.2.99', s.device);
    expect(both.userId).toBe(bob.id);
    expect(both.device!.split('~').map((e) => e.split('.')[0]).sort()).toEqual([anne.id, bob.id].sort());
    // A known device still has its own growing delays.
    for (let i = 0; i < 3; i++) expect(await outcome(login('anne@example.org', WRONG, '192.0.2.99', earlier.device))).toBe('invalid:bad_credentials');
    expect(await outcome(login('anne@example.org', PW, '192.0.2.99', earlier.device))).toBe('wait:1s');
  });

  it('always let a magic link in, and clear the account’s throttles', async () => {
    const anne = await makeUser(app, { email: 'anne@example.org', password: PW });
    for (let i = 0; i < 15; i++) for (let k = 0; k < 2; k++) await outcome(login('anne@example.org', WRONG, `203.0.113.${i}`));
    for (let k = 0; k < 5; k++) await outcome(login('anne@example.org', WRONG, '192.0.2.10'));
    expect(await outcome(login('anne@example.org', PW, '192.0.2.10'))).toMatch(/^wait:/);
    await app.accounts.requestMagicLink({ email: 'anne@example.org' });
    const token = await linkFromMail(app, 'anne@example.org', '/magic/');
    const s = await app.accounts.loginWithMagicLink({ token }, { ip: '192.0.2.10' });
    expect(s.userId).toBe(anne.id);
    // Cleared: the right password works again from anywhere, even without the new device cookie.
    expect(await outcome(login('anne@example.org', PW, '192.0.2.10'))).toBe('ok');
    expect(await outcome(login('anne@example.org', PW, '192.0.2.11'))).toBe('ok');
  });

  it('slow spraying from one address without refusing members there who prove who they are', async () => {
    const office = '198.51.100.1';
    const carla = await makeUser(app, { email: 'carla@example.org', password: PW });
    const dirk = await makeUser(app, { email: 'dirk@example.org', password: PW });
    const emma = await makeUser(app, { email: 'emma@example.org', password: PW });
    const carlasDevice = (await login('carla@example.org', PW, office)).device;
    // Members behind the same address mistype now and then: nobody is slowed.
    for (const m of ['carla', 'dirk', 'emma']) await outcome(login(`${m}@example.org`, WRONG, office));
    expect(await outcome(login('dirk@example.org', PW, office))).toBe('ok');
    // Someone there tries one password on many accounts.
    for (let i = 0; i < 40; i++) await outcome(login(`person${i}@example.org`, WRONG, office));
    expect(await outcome(login('person41@example.org', WRONG, office))).toMatch(/^wait:/);
    // Elsewhere, nothing changed.
    expect(await outcome(login('emma@example.org', PW, '192.0.2.50'))).toBe('ok');
    // Behind the sprayed address: a known device passes at once…
    expect((await login('carla@example.org', PW, office, carlasDevice)).userId).toBe(carla.id);
    // …a member without one is slowed, not refused: told how long, and the magic link works.
    expect(await outcome(login('emma@example.org', PW, office))).toMatch(/^wait:\d+[sm]$/);
    await app.accounts.requestMagicLink({ email: 'emma@example.org' });
    const token = await linkFromMail(app, 'emma@example.org', '/magic/');
    expect((await app.accounts.loginWithMagicLink({ token }, { ip: office })).userId).toBe(emma.id);
    // And the spray's delay runs out: the address is not refused for good.
    app.clock.advance(RULES.source.capMs);
    expect((await login('dirk@example.org', PW, office)).userId).toBe(dirk.id);
  });

  it('count parallel guesses before checking any of them', async () => {
    await makeUser(app, { email: 'anne@example.org', password: PW });
    const results = await Promise.all(Array.from({ length: 10 }, () => outcome(login('anne@example.org', WRONG, '203.0.113.5'))));
    expect(results.filter((r) => r === 'invalid:bad_credentials')).toHaveLength(RULES.pair.free);
    expect(results.filter((r) => r.startsWith('wait:'))).toHaveLength(10 - RULES.pair.free);
  });

  it('answer alike for unknown and known emails', async () => {
    await makeUser(app, { email: 'anne@example.org', password: PW });
    const seen = [];
    for (const email of ['anne@example.org', 'ghost@example.org']) {
      const r = [];
      for (let i = 0; i < 5; i++) r.push(await outcome(login(email, WRONG, '203.0.113.9')));
      seen.push(r);
    }
    expect(seen[0]).toEqual(seen[1]);
  });
});
