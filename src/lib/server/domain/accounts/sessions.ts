import type { Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import type { Clock } from '../../kernel/clock';
import { hashSecret, newSecret, type UserId } from '../../kernel/ids';
import { isInstanceAdmin, type Actor } from '../../policy/actor';
import type { Role, TokenScope } from '../../db/schema';
import { forbidden } from '../../kernel/errors';
import { prepared } from '../../db/prepared';

// The look-ups of every request (cookie → user → roles), compiled once.
const sessionUser = prepared(['id', 'now'], (db, p: { id: string; now: string }) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.userId')
    .select(['sessions.userId', 'sessions.lastSeenAt'])
    .where('sessions.id', '=', p.id)
    .where('sessions.expiresAt', '>', p.now)
    .where('users.disabledAt', 'is', null),
);
const activeUser = prepared(['id'], (db, p: { id: string }) =>
  db.selectFrom('users').select(['id', 'name', 'handle', 'email', 'isAdmin', 'locale', 'timeZone', 'avatarFileId']).where('id', '=', p.id).where('disabledAt', 'is', null),
);
const rolesOf = prepared(['userId'], (db, p: { userId: string }) => db.selectFrom('memberships').select(['groupId', 'role']).where('userId', '=', p.userId));

export const SESSION_COOKIE = 'ruche_session';
export const SESSION_DAYS = 30;

export type StartedSession = { token: string; expiresAt: Date; userId: UserId; /** The known-device cookie's new value, when the login proves the device. */ device?: string };

/** What starting a session needs to know about the request. */
export type SessionContext = { userAgent?: string; /** The request itself was authenticated by a personal access token. */ viaToken?: boolean };

/**
 * Writes a brand-new session in the caller's transaction (a fresh random id on every login,
 * so a session id planted before login is never promoted). Returns the cookie value.
 * A request authenticated by an access token never gets a session: a leaked token must
 * not turn into a longer-lived browser login (`errors.token_no_session`).
 */
export async function startSessionIn(db: Tx, clock: Clock, userId: UserId, ctx: SessionContext = {}): Promise<StartedSession> {
  if (ctx.viaToken) forbidden('token_no_session');
  const token = newSecret();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86400_000);
  await db
    .insertInto('sessions')
    .values({ id: hashSecret(token), userId, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString(), lastSeenAt: now.toISOString(), userAgent: (ctx.userAgent ?? '').slice(0, 300) })
    .execute();
  return { token, expiresAt, userId };
}

/** Ends the session behind a cookie value, if any (used before starting a new one). */
export async function endSessionIn(db: Tx, token: string | undefined | null): Promise<void> {
  if (!token || token.length > 100) return;
  await db.deleteFrom('sessions').where('id', '=', hashSecret(token)).execute();
}

/**
 * Ends every way into the account at once: all sessions (but `keepToken`'s, when given) and
 * every personal access token. Used by a password reset, a password change, "log out
 * everywhere" and disabling, so a stolen session or token never outlives them.
 */
export async function endCredentialsIn(db: Tx, userId: string, now: Date, keepToken?: string | null): Promise<void> {
  let q = db.deleteFrom('sessions').where('userId', '=', userId);
  if (keepToken) q = q.where('id', '<>', hashSecret(keepToken));
  await q.execute();
  await db.updateTable('accessTokens').set({ revokedAt: now.toISOString() }).where('userId', '=', userId).where('revokedAt', 'is', null).execute();
}

/** The secret of `Authorization: Bearer <secret>` (scheme case-insensitive); null without a Bearer header. */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer(?:\s+(.*))?$/i.exec(header?.trim() ?? '');
  return m ? (m[1] ?? '').trim() : null;
}

/** What a scope allows over HTTP: read tokens only safe methods (GET, HEAD); write and admin tokens any. */
export function scopeAllowsMethod(scope: TokenScope, method: string): boolean {
  return scope !== 'read' || method === 'GET' || method === 'HEAD';
}

/** WebSocket frames a read token may send: subscribing and listening, never writing (messages, reactions, typing, read marks). */
export const READ_ONLY_FRAMES: ReadonlySet<string> = new Set(['resume', 'unsubscribe', 'watch', 'unwatch', 'ping']);

/** A personal access token that works: whose it is and what it allows. */
export type ResolvedToken = { userId: UserId; tokenId: string; scope: TokenScope };

/** Sessions: an opaque random cookie; the database keeps only its hash. */
export function createSessions(deps: Deps) {
  const { db, clock } = deps;

  async function actorOf(userId: UserId, isAdmin: boolean, token?: { scope: TokenScope } | null): Promise<Actor> {
    const roles = await rolesOf.execute(db, { userId });
    return {
      kind: 'user',
      userId,
      // A read or write token never carries instance administration, whatever the user is.
      isAdmin: isAdmin && (!token || token.scope === 'admin'),
      roles: new Map(roles.map((r) => [r.groupId, r.role as Role])),
      ...(token ? { token: { scope: token.scope } } : {}),
    };
  }

  return {
    /** Starts a new session (always a fresh id: rotation on every login). Returns the cookie value. */
    async start(userId: UserId, userAgent = ''): Promise<{ token: string; expiresAt: Date }> {
      return startSessionIn(db, clock, userId, { userAgent });
    },

    /** Ends one session (log out). */
    async end(token: string) {
      await endSessionIn(db, token);
    },


    /** The user behind a session cookie, or null when missing, expired or disabled. */
    async userIdFor(token: string | undefined): Promise<UserId | null> {
      if (!token || token.length > 100) return null;
      const now = clock.now().toISOString();
      const row = await sessionUser.first(db, { id: hashSecret(token), now });
      if (!row) return null;
      // Touch at most once an hour: no write on every page view.
      if (Date.parse(now) - Date.parse(row.lastSeenAt) > 3600_000)
        await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', hashSecret(token)).execute();
      return row.userId as UserId;
    },

    /**
     * The personal access token behind `Authorization: Bearer ruche_…`: null when unknown,
     * revoked, expired or its user disabled. Records its last use (at most once a minute).
     */
    async resolveAccessToken(token: string): Promise<ResolvedToken | null> {
      if (!token.startsWith('ruche_') || token.length > 100) return null;
      const now = clock.now();
      const row = await db
        .selectFrom('accessTokens')
        .innerJoin('users', 'users.id', 'accessTokens.userId')
        .select(['accessTokens.id', 'accessTokens.userId', 'accessTokens.scope', 'accessTokens.lastUsedAt'])
        .where('tokenHash', '=', hashSecret(token))
        .where('revokedAt', 'is', null)
        .where((eb) => eb.or([eb('accessTokens.expiresAt', 'is', null), eb('accessTokens.expiresAt', '>', now.toISOString())]))
        .where('users.disabledAt', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= 60_000)
        await db.updateTable('accessTokens').set({ lastUsedAt: now.toISOString() }).where('id', '=', row.id).execute();
      return { userId: row.userId as UserId, tokenId: row.id, scope: row.scope as TokenScope };
    },

    /**
     * The signed-in member and their policy actor, in two queries (the request hook runs
     * this on every request). A disabled or unknown user is a visitor. With a token, the
     * actor carries its scope, and instance administration only comes with an `admin` token.
     */
    async identify(userId: UserId | null, token?: { scope: TokenScope } | null): Promise<{ user: Omit<CurrentUser, 'locale'> & { locale: string }; actor: Actor } | { user: null; actor: Actor }> {
      if (!userId) return { user: null, actor: { kind: 'visitor' } };
      const u = await activeUser.first(db, { id: userId });
      if (!u) return { user: null, actor: { kind: 'visitor' } };
      const actor = await actorOf(userId, u.isAdmin === 1, token);
      return { user: { ...u, isAdmin: isInstanceAdmin(actor) }, actor };
    },

    /** The policy actor of a user (visitor when unknown), with a token's scope when acting through one. */
    async actorFor(userId: UserId | null, token?: { scope: TokenScope } | null): Promise<Actor> {
      if (!userId) return { kind: 'visitor' };
      const user = await db.selectFrom('users').select(['id', 'isAdmin']).where('id', '=', userId).executeTakeFirst();
      if (!user) return { kind: 'visitor' };
      return actorOf(userId, user.isAdmin === 1, token);
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
