import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../../db/connect';
import { inTx } from '../../kernel/deps';
import { notFound, unauthenticated } from '../../kernel/errors';
import { shortToUuid, uuidToShort, type UserId } from '../../kernel/ids';
import { authorize, isUser, type Actor } from '../../policy';
import type { Ctx } from './context';
import { buildCalendar, type IcsItem } from './ics';
import { exceptionsOf } from './occurrences';
import { findGroupBySlug, groupFactsOf, type EventRow } from './repo';

/**
 * Calendar feeds: a group's (linked from its page; an open group's for anyone, a closed or
 * secret group's for its members) and each member's private one with the events of all
 * their groups and, through the tasks port, their tasks' due dates. A member's feed address
 * carries a token signed with the server secret and a version: "new address" bumps the
 * version, and the old address stops working at once.
 */
const sig = (secret: Buffer, body: string) => createHmac('sha256', secret).update(`feed:${body}`).digest().subarray(0, 18).toString('base64url');
export function feedToken(secret: Buffer, userId: string, version: number): string {
  const body = `${uuidToShort(userId)}.${version.toString(36)}`;
  return `${body}.${sig(secret, body)}`;
}
function readFeedToken(secret: Buffer, token: string): { userId: string; version: number } | null {
  const m = /^([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([A-Za-z0-9_-]{24})$/.exec(token);
  if (!m) return null;
  const body = `${m[1]}.${m[2]}`;
  if (!timingSafeEqual(Buffer.from(sig(secret, body)), Buffer.from(m[3]))) return null;
  const userId = shortToUuid(m[1]);
  return userId ? { userId, version: parseInt(m[2], 36) } : null;
}

/** How far back a feed reaches (events that ended before are left out). */
const PAST_DAYS = 120;

export function createFeeds(ctx: Ctx) {
  const { deps, tasks } = ctx;
  const { db, clock, config } = deps;

  async function items(db: Tx, events: EventRow[]): Promise<IcsItem[]> {
    const xs = await exceptionsOf(db, events.map((e) => e.id));
    return events.map((e) => ({ event: e, exceptions: xs.get(e.id) ?? [], url: `${config.baseUrl}/events/${e.id}`, organizer: { name: e.group.name, email: `${e.group.slug}@${config.mailDomain}` } }));
  }

  async function eventsOf(db: Tx, groupIds: string[]): Promise<EventRow[]> {
    if (!groupIds.length) return [];
    const since = new Date(clock.now().getTime() - PAST_DAYS * 86_400_000).toISOString();
    const rows = await db
      .selectFrom('calendarEvents')
      .innerJoin('groups', 'groups.id', 'calendarEvents.groupId')
      .selectAll('calendarEvents')
      .select(['groups.slug as gSlug', 'groups.name as gName', 'groups.visibility as gVisibility', 'groups.parentId as gParentId'])
      .where('calendarEvents.groupId', 'in', groupIds)
      .where('calendarEvents.seriesEndAt', '>=', since)
      .orderBy('calendarEvents.startsAt')
      .limit(2000)
      .execute();
    return rows.map(({ gSlug, gName, gVisibility, gParentId, ...e }) => ({ ...e, group: { id: e.groupId, slug: gSlug, name: gName, visibility: gVisibility, parentId: gParentId, guestPolls: 0 } }));
  }

  /** The member behind a feed token, while it is their current one and their account works. */
  async function feedOwner(token: string): Promise<string | null> {
    const t = readFeedToken(ctx.secret(), token);
    if (!t) return null;
    const row = await db.selectFrom('calendarFeeds as f').innerJoin('users as u', 'u.id', 'f.userId').select(['f.version', 'u.disabledAt']).where('f.userId', '=', t.userId).executeTakeFirst();
    return row && Number(row.version) === t.version && !row.disabledAt ? t.userId : null;
  }

  return {
    /** The member's private feed address (made on first use). */
    async myFeed(actor: Actor): Promise<{ path: string }> {
      authorize(actor, 'calendar.feed');
      if (!isUser(actor)) return unauthenticated();
      let row = await db.selectFrom('calendarFeeds').select('version').where('userId', '=', actor.userId).executeTakeFirst();
      if (!row) {
        await db.insertInto('calendarFeeds').values({ userId: actor.userId, version: 1, createdAt: clock.now().toISOString() }).onConflict((oc) => oc.column('userId').doNothing()).execute();
        row = await db.selectFrom('calendarFeeds').select('version').where('userId', '=', actor.userId).executeTakeFirstOrThrow();
      }
      return { path: `/calendar/me/${feedToken(ctx.secret(), actor.userId, Number(row.version))}` };
    },

    /** A new private address: the old one stops working. */
    async renewFeed(actor: Actor): Promise<{ path: string }> {
      authorize(actor, 'calendar.feed');
      if (!isUser(actor)) return unauthenticated();
      const at = clock.now().toISOString();
      await inTx(deps, async (tx) => {
        await tx.insertInto('calendarFeeds').values({ userId: actor.userId, version: 2, createdAt: at }).onConflict((oc) => oc.column('userId').doUpdateSet((eb) => ({ version: eb('calendarFeeds.version', '+', 1) }))).execute();
      });
      return this.myFeed(actor);
    },

    /** The member's feed: their groups' events and their tasks' due dates ("not found" for a revoked or unknown address). */
    async memberFeed(token: string): Promise<string> {
      const userId = (await feedOwner(String(token).slice(0, 200))) ?? notFound();
      const groups = (await db.selectFrom('memberships').select('groupId').where('userId', '=', userId).execute()).map((r) => r.groupId);
      const now = clock.now();
      const dues = tasks.dueDatesFor ? await tasks.dueDatesFor(userId, new Date(now.getTime() - PAST_DAYS * 86_400_000), new Date(now.getTime() + 400 * 86_400_000)) : [];
      const user = await db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
      return buildCalendar({ name: user?.name ?? 'Ruche', domain: config.mailDomain, items: await items(db, await eventsOf(db, groups)), dues: dues.map((d) => ({ ...d, url: `${config.baseUrl}${d.url}` })), now });
    },

    /**
     * A group's feed, as the actor may read the group: the session's member, or the member
     * whose private feed token comes with it (a calendar application has no session).
     */
    async groupFeed(actor: Actor, raw: { slug: string; token?: string | null }): Promise<string> {
      const g = (await findGroupBySlug(db, String(raw.slug).slice(0, 100))) ?? notFound();
      let who = actor;
      if (raw.token) {
        const userId = await feedOwner(String(raw.token).slice(0, 200));
        if (userId) {
          const m = await db.selectFrom('memberships').select('role').where('groupId', '=', g.id).where('userId', '=', userId).executeTakeFirst();
          who = { kind: 'user', userId: userId as UserId, isAdmin: false, roles: new Map(m ? [[g.id, m.role]] : []) };
        }
      }
      authorize(who, 'group.read', groupFactsOf(g));
      return buildCalendar({ name: g.name, domain: config.mailDomain, items: await items(db, await eventsOf(db, [g.id])), now: clock.now() });
    },

    /** One event's calendar file (its page's "Add to my calendar"). */
    async eventIcs(actor: Actor, e: EventRow): Promise<string> {
      authorize(actor, 'event.read', { group: groupFactsOf(e.group), authorId: e.authorId, cancelled: e.status === 'cancelled' });
      return buildCalendar({ name: e.title, domain: config.mailDomain, items: await items(db, [e]), now: clock.now() });
    },
  };
}
