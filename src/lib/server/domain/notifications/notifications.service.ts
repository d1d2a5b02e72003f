import { z } from 'zod';
import { inTx, type Deps } from '../../kernel/deps';
import { notFound, unauthenticated } from '../../kernel/errors';
import { parse, text } from '../../kernel/validate';
import { authorize, isUser, type Actor, type UserActor } from '../../policy';
import type { SubjectVisibility } from './channel';
import { listInbox, markRead, reconcile, unreadCount, visibleTo, type InboxLive } from './inbox';
import { PreferencesInput, readPreferences, SETTABLE, writePreferences } from './prefs';
import { CHANNELS, CHOICES } from './reasons';

const ListInput = z.object({
  before: text().max(40, 'bad_value').optional(),
  unread: z.union([z.boolean(), z.enum(['1', '0', 'true', 'false'])]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
const ReadInput = z.object({
  ids: z.array(text().max(64)).max(500).optional(),
  subjectId: text().max(64).optional(),
  all: z.union([z.boolean(), z.literal('1')]).optional(),
});
const OpenInput = z.object({ id: text().max(64, 'not_found') });

/**
 * What concerns me: the inbox (grouped by discussion, room or request; unread marked; only
 * what I may still read), marking read, and my choices per reason and channel. Every
 * function takes the acting member first and unvalidated input second.
 */
export function createNotificationsService(deps: Deps, o: { subjects: SubjectVisibility; live?: InboxLive }) {
  const { db, clock } = deps;
  const me = (actor: Actor): UserActor => {
    authorize(actor, 'notifications.self');
    return isUser(actor) ? actor : unauthenticated();
  };

  return {
    /** The inbox page: its lines and the unread count (brought back in line with what may be shown). */
    async inbox(actor: Actor, raw: unknown = {}) {
      const a = me(actor);
      const input = parse(ListInput, raw);
      const unread = input.before ? await unreadCount(db, a.userId) : await inTx(deps, (tx) => reconcile(tx, a, o.subjects, clock.now().toISOString()));
      const unreadOnly = input.unread === true || input.unread === '1' || input.unread === 'true';
      const page = await listInbox(db, a, o.subjects, { before: input.before, limit: input.limit, unreadOnly });
      return { unread, unreadOnly, ...page };
    },

    /**
     * What waits for me, for home: the newest unread lines (mentions, direct messages,
     * requests to handle, invitations, assignments), read-only (no reconciling write).
     */
    async waiting(actor: Actor, limit = 5) {
      if (!isUser(actor)) return { unread: 0, entries: [] };
      const page = await listInbox(db, actor, o.subjects, { limit: Math.min(Math.max(1, limit), 20), unreadOnly: true });
      return { unread: await unreadCount(db, actor.userId), entries: page.entries };
    },

    /** The bell's number. */
    async unread(actor: Actor): Promise<number> {
      return isUser(actor) ? unreadCount(db, actor.userId) : 0;
    },

    /** Marks some notifications (ids), one subject's, or all of them read. */
    async markRead(actor: Actor, raw: unknown): Promise<{ unread: number }> {
      const a = me(actor);
      const input = parse(ReadInput, raw);
      const which = input.all ? { all: true as const } : input.subjectId ? { subjectId: input.subjectId } : { ids: input.ids ?? [] };
      await inTx(deps, (tx) => markRead(tx, a.userId, which, clock.now().toISOString(), o.live));
      return { unread: await unreadCount(db, a.userId) };
    },

    /**
     * Opens one notification: marks everything about its subject read and returns where to
     * go (a path stored with the notice, never a value from the request).
     */
    async open(actor: Actor, raw: unknown): Promise<{ url: string }> {
      const a = me(actor);
      const { id } = parse(OpenInput, raw);
      const row = await db
        .selectFrom('notifications as n')
        .innerJoin('notices as x', 'x.id', 'n.noticeId')
        .select(['n.subjectId', 'x.data'])
        .where('n.id', '=', id)
        .where('n.userId', '=', a.userId)
        .where(visibleTo(a, o.subjects))
        .executeTakeFirst();
      if (!row) return notFound();
      await inTx(deps, (tx) => markRead(tx, a.userId, { subjectId: row.subjectId }, clock.now().toISOString(), o.live));
      const url = String(JSON.parse(row.data).url ?? '/');
      return { url: url.startsWith('/') && !url.startsWith('//') ? url : '/' };
    },

    /** The preferences page and API: every settable reason × channel, with the member's choice. */
    async preferences(actor: Actor) {
      const a = me(actor);
      const p = await readPreferences(db, a.userId);
      return { reasons: SETTABLE, channels: CHANNELS, options: CHOICES, choices: p.choices, quiet: p.quiet, reminderHour: p.reminderHour };
    },

    /** Saves choices (any subset), quiet hours and the hour of reminders. */
    async savePreferences(actor: Actor, raw: unknown) {
      const a = me(actor);
      const input = parse(PreferencesInput, raw);
      await inTx(deps, (tx) => writePreferences(tx, a.userId, input, clock.now().toISOString()));
      return this.preferences(actor);
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
