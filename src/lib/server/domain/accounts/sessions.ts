import type { Deps } from '../../kernel/deps';
import type { Tx } from '../../db/connect';
import type { Clock } from '../../kernel/clock';
import { hashSecret, newSecret, type UserId } from '../../kernel/ids';
import type { Actor } from '../../policy/actor';
import type { Role } from '../../db/schema';

export const SESSION_COOKIE = 'ruche_session';
export const SESSION_DAYS = 30;

export type StartedSession = { token: string; expiresAt: Date; userId: UserId };

/**
 * Writes a brand-new session in the caller's transaction (a fresh random id on every login,
 * so a session id planted before login is never promoted). Returns the cookie value.
 */
export async function startSessionIn(db: Tx, clock: Clock, userId: UserId, userAgent = ''): Promise<StartedSession> {
  const token = newSecret();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86400_000);
  await db
    .insertInto('sessions')
    .values({ id: hashSecret(token), userId, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString(), lastSeenAt: now.toISOString(), userAgent: userAgent.slice(0, 300) })
    .execute();
  return { token, expiresAt, userId };
}

/** Ends the session behind a cookie value, if any (used before starting a new one). */
export async function endSessionIn(db: Tx, token: string | undefined | null): Promise<void> {
  if (!token || token.length > 100) return;
  await db.deleteFrom('sessions').where('id', '=', hashSecret(token)).execute();
}

/** Sessions: an opaque random cookie; the database keeps only its hash. */
export function createSessions(deps: Deps) {
  const { db, clock } = deps;
  return {
    /** Starts a new session (always a fresh id: rotation on every login). Returns the cookie value. */
    async start(userId: UserId, userAgent = ''): Promise<{ token: string; expiresAt: Date }> {
      return startSessionIn(db, clock, userId, userAgent);
    },

    /** Ends one session (log out). */
    async end(token: string) {
      await endSessionIn(db, token);
    },

    /** Ends every session of a user (after a password reset). */
    async endAll(userId: UserId) {
      await db.deleteFrom('sessions').where('userId', '=', userId).execute();
    },

    /** The user behind a session cookie, or null when missing, expired or disabled. */
    async userIdFor(token: string | undefined): Promise<UserId | null> {
      if (!token || token.length > 100) return null;
      const now = clock.now().toISOString();
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.userId')
        .select(['sessions.userId', 'sessions.lastSeenAt'])
        .where('sessions.id', '=', hashSecret(token))
        .where('sessions.expiresAt', '>', now)
        .where('users.disabledAt', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      // Touch at most once an hour: no write on every page view.
      if (Date.parse(now) - Date.parse(row.lastSeenAt) > 3600_000)
        await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', hashSecret(token)).execute();
      return row.userId as UserId;
    },

    /** The user behind a personal access token (`Authorization: Bearer ruche_…`). */
    async userIdForAccessToken(token: string): Promise<UserId | null> {
      if (!token.startsWith('ruche_') || token.length > 100) return null;
      const row = await db
        .selectFrom('accessTokens')
        .innerJoin('users', 'users.id', 'accessTokens.userId')
        .select(['accessTokens.id', 'accessTokens.userId'])
        .where('tokenHash', '=', hashSecret(token))
        .where('revokedAt', 'is', null)
        .where('users.disabledAt', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      await db.updateTable('accessTokens').set({ lastUsedAt: clock.now().toISOString() }).where('id', '=', row.id).execute();
      return row.userId as UserId;
    },

    /** Builds the policy's actor: the user and their group roles, in two small queries. */
    /**
     * The signed-in member and their policy actor, in two queries (the request hook runs
     * this on every request). A disabled or unknown user is a visitor.
     */
    async identify(userId: UserId | null): Promise<{ user: Omit<CurrentUser, 'locale'> & { locale: string }; actor: Actor } | { user: null; actor: Actor }> {
      if (!userId) return { user: null, actor: { kind: 'visitor' } };
      const u = await db
        .selectFrom('users')
        .select(['id', 'name', 'handle', 'email', 'isAdmin', 'locale', 'timeZone', 'avatarFileId'])
        .where('id', '=', userId)
        .where('disabledAt', 'is', null)
        .executeTakeFirst();
      if (!u) return { user: null, actor: { kind: 'visitor' } };
      const roles = await db.selectFrom('memberships').select(['groupId', 'role']).where('userId', '=', userId).execute();
      return {
        user: { ...u, isAdmin: u.isAdmin === 1 },
        actor: { kind: 'user', userId, isAdmin: u.isAdmin === 1, roles: new Map(roles.map((r) => [r.groupId, r.role as Role])) },
      };
    },

    async actorFor(userId: UserId | null): Promise<Actor> {
      if (!userId) return { kind: 'visitor' };
      const user = await db.selectFrom('users').select(['id', 'isAdmin']).where('id', '=', userId).executeTakeFirst();
      if (!user) return { kind: 'visitor' };
      const roles = await db.selectFrom('memberships').select(['groupId', 'role']).where('userId', '=', userId).execute();
      return { kind: 'user', userId, isAdmin: user.isAdmin === 1, roles: new Map(roles.map((r) => [r.groupId, r.role as Role])) };
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
