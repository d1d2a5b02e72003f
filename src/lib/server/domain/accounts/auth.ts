import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import { forbidden, invalid, notFound } from '../../kernel/errors';
import { hashSecret, newId, newSecret, type UserId } from '../../kernel/ids';
import { enqueueJob, recordEvent } from '../../kernel/outbox';
import { fields, parse, secret, text } from '../../kernel/validate';
import { hashPassword, verifyPassword } from './passwords';
import { endCredentialsIn, endSessionIn, startSessionIn, type StartedSession } from './sessions';
import { insertUser, isValidTimeZone } from './users';
import { LIMITS, mailKey, blockedFor, recordAttempt } from './rate-limit';
import { accountKey, admit, clearAccount, forgetOld, pairKey, sourceKey, succeeded, type AttemptKeys } from './throttle';
import { knownDevice, rememberDevice } from './known-device';
import { accountMail } from './mails';
import { UNKNOWN_ADDRESS } from '../../kernel/client-address';
import { sameOriginPath } from '../../kernel/redirect';
import { secretFile } from '../../kernel/secret-file';

export const MAGIC_MINUTES = 15;
export const RESET_MINUTES = 60;

/**
 * Where the request came from: the client's address (one rule for every surface, see
 * kernel/client-address), the browser, its current session cookie (rotated on login), its
 * known-device cookie, and whether the request was authenticated by an access token (such
 * a request never starts a session).
 */
export type ClientContext = { ip?: string; userAgent?: string; previousToken?: string | null; deviceCookie?: string | null; viaToken?: boolean };

export const LoginInput = z.object({ email: fields.email, password: secret().min(1, 'required').max(200, 'too_long') });
/** `next`: where the login link leads after logging in (a path on this site; anything else is dropped). */
export const EmailInput = z.object({ email: fields.email, next: z.unknown().optional() });
export const TokenInput = z.object({ token: text().min(10, 'link_unknown').max(100, 'link_unknown') });
export const ResetInput = TokenInput.extend({ password: fields.password });
export const RegisterInput = z.object({
  email: fields.email,
  name: fields.name,
  password: fields.password,
  locale: fields.locale.default('fr'),
  timeZone: text().refine(isValidTimeZone, 'bad_value').default('Europe/Brussels'),
});
export type RegisterInput = z.input<typeof RegisterInput>;

export type LinkState = 'valid' | 'expired' | 'used' | 'unknown';

// Verifying against a real hash when the email is unknown keeps response times alike.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword('not a real password, only for timing'));

/** Logging in and out, one-time links, registration. */
export function createAuth(deps: Deps) {
  const { db, clock, config } = deps;
  const deviceKey = () => secretFile(config.dataDir, 'device-secret');

  /** A fresh session (the browser's previous one ends), and the device remembered for this account. */
  async function startFresh(tx: Tx, userId: UserId, ctx: ClientContext): Promise<StartedSession> {
    const s = await startSessionIn(tx, clock, userId, ctx);
    await endSessionIn(tx, ctx.previousToken);
    return { ...s, device: rememberDevice(deviceKey(), ctx.deviceCookie, userId, clock.now()) };
  }

  async function linkState(tx: Tx, kind: 'magic' | 'reset', token: string) {
    const row = await tx
      .selectFrom('authTokens')
      .innerJoin('users', 'users.id', 'authTokens.userId')
      .select(['authTokens.id', 'authTokens.userId', 'authTokens.expiresAt', 'authTokens.usedAt', 'users.disabledAt', 'users.email'])
      .where('tokenHash', '=', hashSecret(token))
      .where('kind', '=', kind)
      .executeTakeFirst();
    const state: LinkState = !row || row.disabledAt ? 'unknown' : row.usedAt ? 'used' : row.expiresAt <= clock.now().toISOString() ? 'expired' : 'valid';
    return { state, row };
  }

  /** Marks a link used, once: two clicks racing each other cannot both log in. */
  async function consume(tx: Tx, kind: 'magic' | 'reset', token: string) {
    const { state, row } = await linkState(tx, kind, token);
    if (state !== 'valid' || !row) return invalid([], `link_${state}`);
    const r = await tx.updateTable('authTokens').set({ usedAt: clock.now().toISOString() }).where('id', '=', row.id).where('usedAt', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) invalid([], 'link_used');
    return { userId: row.userId as UserId, email: row.email };
  }

  /**
   * Creates a one-time link and enqueues its mail; silent when the email has no active
   * account. No mail bombing: a few mails per quarter hour to one address from one source,
   * and a looser cap per address from everywhere, beyond which nothing is sent (same answer).
   * A known device of the account skips the per-address cap, so an attacker asking for
   * links from many addresses cannot keep the owner from getting one.
   */
  async function sendLink(kind: 'magic' | 'reset', raw: unknown, ctx: ClientContext) {
    const { email, next } = parse(EmailInput, raw);
    const now = clock.now();
    const user = await db.selectFrom('users').select(['id', 'name', 'locale', 'email']).where('email', '=', email).where('disabledAt', 'is', null).executeTakeFirst();
    if (!user) return;
    const source = ctx.ip || UNKNOWN_ADDRESS;
    const known = knownDevice(deviceKey(), ctx.deviceCookie, user.id, now) !== null;
    if ((await blockedFor(db, mailKey(email, source), LIMITS.mailPerSource, now)) !== null) return;
    if (!known && (await blockedFor(db, mailKey(email), LIMITS.mail, now)) !== null) return;
    const minutes = kind === 'magic' ? MAGIC_MINUTES : RESET_MINUTES;
    await inTx(deps, async (tx) => {
      const token = newSecret();
      await tx
        .insertInto('authTokens')
        .values({ id: newId(), kind, tokenHash: hashSecret(token), userId: user.id, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(), usedAt: null })
        .execute();
      const instance = await tx.selectFrom('instance').select('name').executeTakeFirst();
      const back = kind === 'magic' ? sameOriginPath(next, config.baseUrl) : null;
      const url = `${config.baseUrl}/${kind === 'magic' ? 'magic' : 'reset'}/${token}${back && back !== '/' ? `?next=${encodeURIComponent(back)}` : ''}`;
      await enqueueJob(tx, 'mail.send', accountMail(kind, { to: user.email, name: user.name, locale: user.locale, url, minutes, associationName: instance?.name ?? 'Ruche', mailDomain: config.mailDomain }), now);
      await recordAttempt(tx, [mailKey(email), mailKey(email, source)], now);
      await recordEvent(tx, { type: kind === 'magic' ? 'user.login_link_sent' : 'user.reset_link_sent', actorId: user.id }, now);
    });
  }

  return {
    /**
     * Email + password login. Failed attempts are throttled per (account, source), per
     * account and per source with growing delays (see throttle.ts), decided before the
     * password is checked; a known device only meets its own pair's throttle. The answer
     * to a throttled attempt says how long to wait. Starts a fresh session, ends the one the
     * browser had, and remembers the device for this account.
     */
    async login(raw: unknown, ctx: ClientContext = {}): Promise<StartedSession> {
      if (ctx.viaToken) forbidden('token_no_session');
      const input = parse(LoginInput, raw);
      const now = clock.now();
      const user = await db.selectFrom('users').select(['id', 'passwordHash', 'disabledAt']).where('email', '=', input.email).executeTakeFirst();
      const device = user ? knownDevice(deviceKey(), ctx.deviceCookie, user.id, now) : null;
      const source = ctx.ip || UNKNOWN_ADDRESS;
      const keys: AttemptKeys = device
        ? { email: input.email, pair: pairKey(input.email, `device:${device}`), account: null, source: null }
        : { email: input.email, pair: pairKey(input.email, source), account: accountKey(input.email), source: sourceKey(source) };
      // Counted as a failure from here on (committed), so parallel guesses see each other.
      const admission = await admit(deps, keys);
      const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await dummy(), input.password), false);
      if (!user || !ok || user.disabledAt) return invalid([], 'bad_credentials');
      return inTx(deps, async (tx) => {
        await succeeded(tx, keys, admission);
        await forgetOld(tx, now);
        const s = await startFresh(tx, user.id as UserId, ctx);
        await recordEvent(tx, { type: 'user.logged_in', actorId: user.id, data: { method: 'password', knownDevice: device !== null } }, now);
        return s;
      });
    },

    /** Ends the session behind a cookie value (log out). Unknown values are ignored. */
    async logout(raw: { token?: string | null }) {
      await endSessionIn(db, raw.token);
    },

    /**
     * "Email me a login link": valid 15 minutes, single use, leading to `next` (a path on
     * this site) once used. Same answer whether the email exists or not. Not throttled by
     * failed passwords: a member who can read their mail always gets in.
     */
    async requestMagicLink(raw: unknown, ctx: ClientContext = {}): Promise<void> {
      await sendLink('magic', raw, ctx);
    },

    /** "Forgot password": a reset link valid one hour. Same answer whether the email exists or not. */
    async requestPasswordReset(raw: unknown, ctx: ClientContext = {}): Promise<void> {
      await sendLink('reset', raw, ctx);
    },

    /** What a one-time link is worth, without using it (GET of the link must not consume it). */
    async inspectLink(kind: 'magic' | 'reset', raw: unknown): Promise<LinkState> {
      const r = TokenInput.safeParse(raw);
      if (!r.success) return 'unknown';
      return (await linkState(db, kind, r.data.token)).state;
    },

    /** Logs in with a magic link (the confirm button's POST); proving the mailbox clears the account's login throttles. */
    async loginWithMagicLink(raw: unknown, ctx: ClientContext = {}): Promise<StartedSession> {
      const { token } = parse(TokenInput, raw);
      if (ctx.viaToken) forbidden('token_no_session');
      return inTx(deps, async (tx) => {
        const { userId, email } = await consume(tx, 'magic', token);
        await clearAccount(tx, email);
        const s = await startFresh(tx, userId, ctx);
        await recordEvent(tx, { type: 'user.logged_in', actorId: userId, data: { method: 'magic_link' } }, clock.now());
        return s;
      });
    },

    /**
     * Sets a new password from a reset link: ends every session and revokes every access
     * token (whoever knew the old password may have made some), clears the account's login
     * throttles, then logs in here.
     */
    async resetPassword(raw: unknown, ctx: ClientContext = {}): Promise<StartedSession> {
      const input = parse(ResetInput, raw);
      if (ctx.viaToken) forbidden('token_no_session');
      const passwordHash = await hashPassword(input.password);
      return inTx(deps, async (tx) => {
        const { userId, email } = await consume(tx, 'reset', input.token);
        await tx.updateTable('users').set({ passwordHash }).where('id', '=', userId).execute();
        await endCredentialsIn(tx, userId, clock.now());
        await clearAccount(tx, email);
        const s = await startFresh(tx, userId, ctx);
        await recordEvent(tx, { type: 'user.password_reset', actorId: userId, data: { userId } }, clock.now());
        return s;
      });
    },

    /** True when anyone may create an account without an invitation (admin setting). */
    async registrationOpen(): Promise<boolean> {
      const i = await db.selectFrom('instance').select('openRegistration').where('id', '=', 1).executeTakeFirst();
      return i?.openRegistration === 1;
    },

    /** Open registration (only when the association allows it): creates the account and logs in. */
    async register(raw: unknown, ctx: ClientContext = {}): Promise<StartedSession> {
      const input = parse(RegisterInput, raw);
      return inTx(deps, async (tx) => {
        const i = await tx.selectFrom('instance').select('openRegistration').where('id', '=', 1).executeTakeFirst();
        if (i?.openRegistration !== 1) notFound('registration_closed');
        const user = await insertUser(deps, tx, input);
        await recordEvent(tx, { type: 'user.registered', actorId: user.id, data: { via: 'open' } }, clock.now());
        return startFresh(tx, user.id, ctx);
      });
    },

    /**
     * Creates an account for someone accepting an invitation, and starts their session, all
     * inside the caller's transaction (so the invitation's use count and the account commit
     * together). Input is unvalidated: `{ email, name, password, locale, timeZone }`; errors
     * are field errors on those names (`email_taken`, `too_short`…). The caller sets the
     * session cookie from the returned `token`/`expiresAt` after the transaction commits.
     */
    async registerWithInvitation(tx: Tx, raw: unknown, ctx: ClientContext = {}): Promise<StartedSession & { handle: string }> {
      const input = parse(RegisterInput, raw);
      const user = await insertUser(deps, tx, input);
      await recordEvent(tx, { type: 'user.registered', actorId: user.id, data: { via: 'invitation' } }, clock.now());
      const s = await startFresh(tx, user.id, ctx);
      return { ...s, handle: user.handle };
    },
  };
}
