import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { invalidField, notFound } from '../../kernel/errors';
import { hashSecret } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { fields, parse, secret, text, visibleText } from '../../kernel/validate';
import { authorize, can, type Actor, type UserActor } from '../../policy';
import { renderMarkdown } from '../../markdown';
import { hashPassword, verifyPassword } from './passwords';
import { isValidTimeZone } from './users';
import { endCredentialsIn } from './sessions';

export const ProfileInput = z
  .object({
    name: fields.name,
    handle: text().trim().toLowerCase().regex(/^[a-z0-9_]{2,30}$/, 'handle'),
    locale: fields.locale,
    timeZone: text().refine(isValidTimeZone, 'bad_value'),
    bio: text().trim().max(2000, 'too_long'),
  })
  .partial();
export const LocaleInput = z.object({ locale: fields.locale });
export const AvatarInput = z.object({ fileId: fields.uuid.nullable() });
export const PasswordChangeInput = z.object({ currentPassword: secret().max(200, 'too_long').default(''), password: fields.password });
export const IdInput = z.object({ id: text().min(1, 'not_found').max(100, 'not_found') });
export const HandleInput = z.object({ handle: text().trim().toLowerCase().max(30, 'not_found') });

/** The signed-in member as every page's layout needs it. */
export type CurrentUser = { id: string; name: string; handle: string; email: string; isAdmin: boolean; locale: string; timeZone: string; avatarFileId: string | null };
/** The member's own profile (GET /api/v1/me). */
export type MeView = CurrentUser & { bio: string; avatarUrl: string | null; createdAt: string; hasPassword: boolean };
/** What another member sees. */
export type PublicProfile = { handle: string; name: string; avatarFileId: string | null; avatarUrl: string | null; bioHtml: string; memberSince: string };

const avatarUrl = (id: string | null) => (id ? `/files/${id}` : null);

function self(actor: Actor): UserActor {
  authorize(actor, 'account.self');
  return actor as UserActor;
}

/** The member's own account: profile, language, avatar, password, sessions. */
export function createProfile(deps: Deps) {
  const { db, clock } = deps;

  async function me(actor: Actor): Promise<MeView> {
    const a = self(actor);
    const u = await db.selectFrom('users').selectAll().where('id', '=', a.userId).executeTakeFirst();
    if (!u) return notFound();
    return {
      id: u.id, name: u.name, handle: u.handle, email: u.email, isAdmin: u.isAdmin === 1, locale: u.locale, timeZone: u.timeZone,
      avatarFileId: u.avatarFileId, avatarUrl: avatarUrl(u.avatarFileId), bio: u.bio, createdAt: u.createdAt, hasPassword: u.passwordHash !== null,
    };
  }

  return {
    me,

    /** Changes any of name, @handle (unique), language, time zone and bio. */
    async updateProfile(actor: Actor, raw: unknown): Promise<MeView> {
      const a = self(actor);
      const input = parse(ProfileInput, raw);
      await inTx(deps, async (tx) => {
        if (input.handle) {
          const taken = await tx.selectFrom('users').select('id').where('handle', '=', input.handle).where('id', '<>', a.userId).executeTakeFirst();
          if (taken) invalidField('handle', 'handle_taken');
        }
        if (Object.keys(input).length) await tx.updateTable('users').set(input).where('id', '=', a.userId).execute();
        await recordEvent(tx, { type: 'user.profile_updated', actorId: a.userId, data: { fields: Object.keys(input) } }, clock.now());
      });
      return me(actor);
    },

    /** The interface language chosen in the footer; ignored for visitors (they keep a cookie). */
    async setLocale(actor: Actor, raw: unknown): Promise<void> {
      const { locale } = parse(LocaleInput, raw);
      if (!can(actor, 'account.self')) return;
      await db.updateTable('users').set({ locale }).where('id', '=', (actor as UserActor).userId).execute();
    },

    /** Uses an uploaded avatar file (or none). The file must be the member's own avatar upload. */
    async setAvatar(actor: Actor, raw: unknown): Promise<MeView> {
      const a = self(actor);
      const { fileId } = parse(AvatarInput, raw);
      await inTx(deps, async (tx) => {
        if (fileId) {
          const f = await tx.selectFrom('files').select('id').where('id', '=', fileId).where('ownerId', '=', a.userId).where('purpose', '=', 'avatar').executeTakeFirst();
          if (!f) notFound();
        }
        await tx.updateTable('users').set({ avatarFileId: fileId }).where('id', '=', a.userId).execute();
        await recordEvent(tx, { type: 'user.avatar_changed', actorId: a.userId }, clock.now());
      });
      return me(actor);
    },

    /**
     * Changes the password (the current one is asked when there is one), ends every other
     * session and revokes every access token, so a stolen session or token does not survive
     * the change. The session behind `currentToken` is kept.
     */
    async changePassword(actor: Actor, raw: unknown, currentToken?: string | null): Promise<void> {
      const a = self(actor);
      const input = parse(PasswordChangeInput, raw);
      const u = await db.selectFrom('users').select(['passwordHash']).where('id', '=', a.userId).executeTakeFirstOrThrow();
      if (u.passwordHash && !(await verifyPassword(u.passwordHash, input.currentPassword))) invalidField('currentPassword', 'wrong_password');
      const passwordHash = await hashPassword(input.password);
      await inTx(deps, async (tx) => {
        await tx.updateTable('users').set({ passwordHash }).where('id', '=', a.userId).execute();
        await endCredentialsIn(tx, a.userId, clock.now(), currentToken);
        await recordEvent(tx, { type: 'user.password_changed', actorId: a.userId, data: { userId: a.userId } }, clock.now());
      });
    },

    /**
     * "Log out everywhere": ends every session, this one included, and revokes every
     * personal access token (a lost phone or a leaked script stops working at once).
     */
    async logOutEverywhere(actor: Actor): Promise<void> {
      const a = self(actor);
      await inTx(deps, async (tx) => {
        await endCredentialsIn(tx, a.userId, clock.now());
        await recordEvent(tx, { type: 'user.logged_out_everywhere', actorId: a.userId, data: { userId: a.userId } }, clock.now());
      });
    },

    /** The member's active sessions, newest first; `current` marks this browser's. */
    async listSessions(actor: Actor, currentToken?: string | null) {
      const a = self(actor);
      const current = currentToken ? hashSecret(currentToken) : null;
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'createdAt', 'lastSeenAt', 'userAgent'])
        .where('userId', '=', a.userId)
        .where('expiresAt', '>', clock.now().toISOString())
        .orderBy('createdAt', 'desc')
        .limit(100)
        .execute();
      return rows.map((r) => ({ ...r, current: r.id === current }));
    },

    /** Ends one of the member's sessions (another device). */
    async revokeSession(actor: Actor, raw: unknown): Promise<void> {
      const a = self(actor);
      const { id } = parse(IdInput, raw);
      await inTx(deps, async (tx) => {
        const r = await tx.deleteFrom('sessions').where('id', '=', id).where('userId', '=', a.userId).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) notFound();
        await recordEvent(tx, { type: 'user.session_revoked', actorId: a.userId, data: { userId: a.userId } }, clock.now());
      });
    },

    /** A member's public profile, for signed-in members only (identities are not public). */
    async publicProfile(actor: Actor, raw: unknown): Promise<PublicProfile> {
      if (!can(actor, 'user.see')) notFound();
      const h = HandleInput.safeParse(raw);
      if (!h.success) return notFound();
      const { handle } = h.data;
      const u = await db.selectFrom('users').select(['handle', 'name', 'avatarFileId', 'bio', 'createdAt']).where('handle', '=', handle).where('disabledAt', 'is', null).executeTakeFirst();
      if (!u) return notFound();
      return { handle: u.handle, name: u.name, avatarFileId: u.avatarFileId, avatarUrl: avatarUrl(u.avatarFileId), bioHtml: renderMarkdown(u.bio), memberSince: u.createdAt };
    },
  };
}
