import { z } from 'zod';
import type { Tx } from '../../db/connect';
import type { EmailLevel } from '../../db/schema';
import { inTx, type Deps } from '../../kernel/deps';
import { notFound, unauthenticated } from '../../kernel/errors';
import { parse, text } from '../../kernel/validate';
import { recordEvent } from '../../kernel/outbox';
import { authorize, isUser, type Actor } from '../../policy';
import { findGroupBySlug, groupFacts } from '../groups/group';
import { nextDigestTime } from './schedule';
import { mailSecret, verifyUnsubscribeToken } from './tokens';

export const LEVELS = ['all', 'participating', 'daily', 'weekly', 'none'] as const satisfies readonly EmailLevel[];
export const DEFAULT_LEVEL: EmailLevel = 'participating';
export const DEFAULTS = { level: DEFAULT_LEVEL, digestHour: 8, digestWeekday: 1 };

const Level = z.enum(LEVELS, 'bad_value');
export const SettingsInput = z.object({
  level: Level,
  digestHour: z.coerce.number().int('bad_value').min(0, 'bad_value').max(23, 'bad_value'),
  digestWeekday: z.coerce.number().int('bad_value').min(1, 'bad_value').max(7, 'bad_value'),
});
export const GroupLevelInput = z.object({
  groupSlug: text().trim().min(1, 'required').max(100, 'not_found'),
  level: z.enum([...LEVELS, 'default'], 'bad_value'),
});
const TokenInput = z.object({ token: text().max(200, 'not_found') });

/** A member's settings row, or the defaults. */
export async function settingsOf(db: Tx, userId: string) {
  const r = await db.selectFrom('emailSettings').selectAll().where('userId', '=', userId).executeTakeFirst();
  return r ?? { userId, ...DEFAULTS, nextDigestAt: null, lastDigestAt: null, updatedAt: '' };
}

/**
 * Recomputes when the member's next digest is due, from their levels, hour, weekday and
 * time zone. Called whenever one of these changes, in the same transaction.
 */
export async function refreshDigestSchedule(tx: Tx, userId: string, now: Date): Promise<void> {
  const s = await settingsOf(tx, userId);
  const u = await tx.selectFrom('users').select('timeZone').where('id', '=', userId).executeTakeFirstOrThrow();
  const prefs = await tx
    .selectFrom('memberships')
    .leftJoin('emailGroupPrefs', (j) => j.onRef('emailGroupPrefs.groupId', '=', 'memberships.groupId').onRef('emailGroupPrefs.userId', '=', 'memberships.userId'))
    .select('emailGroupPrefs.level')
    .where('memberships.userId', '=', userId)
    .execute();
  const levels = new Set<string>([s.level, ...prefs.map((p) => p.level ?? s.level)]);
  const daily = levels.has('daily');
  const weekly = levels.has('weekly');
  const next = daily || weekly ? nextDigestTime(now, u.timeZone, s.digestHour, s.digestWeekday, !daily).toISOString() : null;
  const at = now.toISOString();
  await tx
    .insertInto('emailSettings')
    .values({ userId, level: s.level, digestHour: s.digestHour, digestWeekday: s.digestWeekday, nextDigestAt: next, lastDigestAt: s.lastDigestAt, updatedAt: at })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ nextDigestAt: next, updatedAt: at }))
    .execute();
}

/** Sets a member's level for one group (null: back to their default). */
export async function setGroupLevel(tx: Tx, userId: string, groupId: string, level: EmailLevel | null, now: Date) {
  await tx.deleteFrom('emailGroupPrefs').where('userId', '=', userId).where('groupId', '=', groupId).execute();
  if (level) await tx.insertInto('emailGroupPrefs').values({ userId, groupId, level, updatedAt: now.toISOString() }).execute();
  await refreshDigestSchedule(tx, userId, now);
}

export function createEmailPrefs(deps: Deps) {
  const { db, clock } = deps;
  const secret = () => mailSecret(deps.config.dataDir);
  return {
    /** The member's mail settings page: default level, digest time, each group's level, bounce mark. */
    async settings(actor: Actor) {
      authorize(actor, 'email.settings');
      if (!isUser(actor)) return unauthenticated();
      const s = await settingsOf(db, actor.userId);
      const u = await db.selectFrom('users').select(['email', 'timeZone', 'mailFailingAt', 'mailFailingReason']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
      const groups = await db
        .selectFrom('memberships')
        .innerJoin('groups', 'groups.id', 'memberships.groupId')
        .leftJoin('emailGroupPrefs', (j) => j.onRef('emailGroupPrefs.groupId', '=', 'memberships.groupId').onRef('emailGroupPrefs.userId', '=', 'memberships.userId'))
        .select(['groups.id', 'groups.slug', 'groups.name', 'emailGroupPrefs.level'])
        .where('memberships.userId', '=', actor.userId)
        .orderBy('groups.name')
        .limit(500)
        .execute();
      return {
        email: u.email,
        timeZone: u.timeZone,
        level: s.level,
        digestHour: s.digestHour,
        digestWeekday: s.digestWeekday,
        nextDigestAt: s.nextDigestAt,
        failing: u.mailFailingAt ? { at: u.mailFailingAt, reason: u.mailFailingReason ?? '' } : null,
        groups: groups.map((g) => ({ id: g.id, slug: g.slug, name: g.name, level: (g.level ?? null) as EmailLevel | null })),
      };
    },

    /** Whether mail to the member's address bounces (for a notice on their profile). */
    async mailStatus(actor: Actor): Promise<{ failing: boolean }> {
      if (!isUser(actor)) return { failing: false };
      const u = await db.selectFrom('users').select('mailFailingAt').where('id', '=', actor.userId).executeTakeFirst();
      return { failing: Boolean(u?.mailFailingAt) };
    },

    /** Saves the default level and the digest hour and weekday (in the member's time zone). */
    async saveSettings(actor: Actor, raw: unknown) {
      authorize(actor, 'email.settings');
      if (!isUser(actor)) return unauthenticated();
      const input = parse(SettingsInput, raw);
      await inTx(deps, async (tx) => {
        const now = clock.now();
        await tx
          .insertInto('emailSettings')
          .values({ userId: actor.userId, ...input, nextDigestAt: null, lastDigestAt: null, updatedAt: now.toISOString() })
          .onConflict((oc) => oc.column('userId').doUpdateSet({ ...input, updatedAt: now.toISOString() }))
          .execute();
        await refreshDigestSchedule(tx, actor.userId, now);
        await recordEvent(tx, { type: 'email.settings_changed', actorId: actor.userId, data: { level: input.level } }, now);
      });
      return { ok: true as const };
    },

    /** One group's level for the member (null = their default), for the group's mail page. */
    async groupSettings(actor: Actor, raw: unknown) {
      const { groupSlug } = parse(GroupLevelInput.pick({ groupSlug: true }), raw);
      const g = (await findGroupBySlug(db, groupSlug)) ?? notFound();
      authorize(actor, 'group.read', groupFacts(g));
      authorize(actor, 'email.groupSettings', groupFacts(g));
      if (!isUser(actor)) return unauthenticated();
      const p = await db.selectFrom('emailGroupPrefs').select('level').where('userId', '=', actor.userId).where('groupId', '=', g.id).executeTakeFirst();
      const s = await settingsOf(db, actor.userId);
      return { group: { id: g.id, slug: g.slug, name: g.name }, level: (p?.level ?? null) as EmailLevel | null, defaultLevel: s.level };
    },

    /** Sets the member's level for one group ('default' follows their general setting). */
    async saveGroupLevel(actor: Actor, raw: unknown) {
      const input = parse(GroupLevelInput, raw);
      const g = (await findGroupBySlug(db, input.groupSlug)) ?? notFound();
      authorize(actor, 'group.read', groupFacts(g));
      authorize(actor, 'email.groupSettings', groupFacts(g));
      if (!isUser(actor)) return unauthenticated();
      await inTx(deps, async (tx) => {
        const now = clock.now();
        await setGroupLevel(tx, actor.userId, g.id, input.level === 'default' ? null : input.level, now);
        await recordEvent(tx, { type: 'email.group_level_changed', groupId: g.id, actorId: actor.userId, data: { level: input.level } }, now);
      });
      return { ok: true as const, groupSlug: g.slug };
    },

    /**
     * What a one-click unsubscribe link would change, for its confirmation page. The signed
     * token is the authority (no login): it names one member and one group, or all mail.
     */
    async unsubscribeInfo(raw: unknown) {
      const { token } = parse(TokenInput, raw);
      const scope = verifyUnsubscribeToken(secret(), token) ?? notFound();
      const u = (await db.selectFrom('users').select(['id', 'email', 'locale']).where('id', '=', scope.userId).executeTakeFirst()) ?? notFound();
      const g = scope.groupId ? ((await db.selectFrom('groups').select(['id', 'name', 'slug']).where('id', '=', scope.groupId).executeTakeFirst()) ?? notFound()) : null;
      const current = g
        ? ((await db.selectFrom('emailGroupPrefs').select('level').where('userId', '=', u.id).where('groupId', '=', g.id).executeTakeFirst())?.level ?? (await settingsOf(db, u.id)).level)
        : (await settingsOf(db, u.id)).level;
      return { email: u.email, locale: u.locale, group: g ? { name: g.name, slug: g.slug } : null, level: current as EmailLevel };
    },

    /** RFC 8058 one-click unsubscribe: sets the level to 'none' for the token's group (or all). */
    async unsubscribe(raw: unknown) {
      const { token } = parse(TokenInput, raw);
      const scope = verifyUnsubscribeToken(secret(), token) ?? notFound();
      const u = (await db.selectFrom('users').select(['id']).where('id', '=', scope.userId).executeTakeFirst()) ?? notFound();
      await inTx(deps, async (tx) => {
        const now = clock.now();
        if (scope.groupId) {
          const g = await tx.selectFrom('groups').select('id').where('id', '=', scope.groupId).executeTakeFirst();
          if (!g) return notFound();
          await setGroupLevel(tx, u.id, g.id, 'none', now);
        } else {
          const s = await settingsOf(tx, u.id);
          await tx
            .insertInto('emailSettings')
            .values({ userId: u.id, level: 'none', digestHour: s.digestHour, digestWeekday: s.digestWeekday, nextDigestAt: null, lastDigestAt: s.lastDigestAt, updatedAt: now.toISOString() })
            .onConflict((oc) => oc.column('userId').doUpdateSet({ level: 'none', updatedAt: now.toISOString() }))
            .execute();
          await tx.deleteFrom('emailGroupPrefs').where('userId', '=', u.id).execute();
          await refreshDigestSchedule(tx, u.id, now);
        }
        await recordEvent(tx, { type: 'email.unsubscribed', groupId: scope.groupId, actorId: u.id, data: {} }, now);
      });
      return { ok: true as const };
    },
  };
}
