import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeCircle } from '../../../../../tests/support/discussions-factories';
import { newId } from '../../kernel/ids';
import type { Channel, Recipient } from './channel';
import type { Notice } from './notice';
import { inboxChannel } from './inbox';
import { emailChannel } from '../email/channel';
import { pushChannel } from '../push/channel';

/**
 * One suite for every channel: whatever the channel, a delivery reaches each recipient
 * exactly once, a rolled-back write reaches nobody, and "every message" finds only members
 * who chose it. A new channel (push) joins this table.
 */
type Spec = {
  make(app: TestApp): Channel;
  /** How many deliveries each of these notification rows produced on this channel. */
  delivered(app: TestApp, rows: { id: string; email: string }[]): Promise<number>;
  /** Makes a member want every message of a group through this channel. */
  wantEvery(app: TestApp, userId: string, groupId: string): Promise<void>;
  /** What a recipient needs before this channel can reach them (a device for push). */
  reachable?(app: TestApp, userId: string): Promise<void>;
};

let device = 0;
const specs: Record<string, Spec> = {
  push: {
    make: (app) => pushChannel(app.deps),
    delivered: async (app, rows) => {
      const jobs = await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'push.send').execute();
      const ids = jobs.map((j) => JSON.parse(j.payload).payload.notificationId as string);
      return rows.reduce((n, r) => n + ids.filter((i) => i === r.id).length, 0);
    },
    wantEvery: async (app, userId) => {
      await app.db.insertInto('notificationPrefs').values({ userId, reason: 'member', channel: 'push', value: 'now', updatedAt: '2026-01-01T00:00:00Z' }).execute();
    },
    reachable: async (app, userId) => {
      device++;
      await app.db.insertInto('pushSubscriptions').values({ id: newId(), userId, endpoint: `https://fcm.googleapis.com/fcm/send/conformance-${device}-${newId()}`, p256dh: 'BAAA', auth: 'AAAA', name: 'Phone', userAgent: '', createdAt: '2026-01-01T00:00:00Z', lastUsedAt: null }).execute();
    },
  },
  inbox: {
    make: () => inboxChannel(),
    delivered: async (app, rows) => (await app.db.selectFrom('notifications').select('id').where('id', 'in', rows.map((r) => r.id)).where('inInbox', '=', 1).execute()).length,
    wantEvery: async (app, userId) => {
      await app.notifications.savePreferences(await app.sessions.actorFor(userId as never), {});
      await app.db.insertInto('notificationPrefs').values({ userId, reason: 'member', channel: 'inbox', value: 'on', updatedAt: '2026-01-01T00:00:00Z' }).execute();
    },
  },
  email: {
    make: (app) => emailChannel(app.deps),
    delivered: async (app, rows) => {
      const jobs = await app.db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute();
      const to = jobs.map((j) => JSON.parse(j.payload).to as string);
      return rows.reduce((n, r) => n + to.filter((t) => t === r.email).length, 0);
    },
    wantEvery: async (app, userId) => {
      await app.email.saveSettings(await app.sessions.actorFor(userId as never), { level: 'all', digestHour: 8, digestWeekday: 1 });
    },
  },
};

for (const engine of engines)
  describe.each(Object.entries(specs))(`${engine}: channel %s`, (_name, spec) => {
    let app: TestApp;
    let c: Awaited<ReturnType<typeof makeCircle>>;
    beforeEach(async () => {
      app = await createTestApp(engine);
      c = await makeCircle(app, 'closed');
    });
    afterEach(() => app.cleanup());

    /** A stored notice about a new discussion, and a notification row for each member given. */
    async function prepare(userIds: string[]) {
      const at = app.clock.now().toISOString();
      const subjectId = newId();
      const notice: Notice = {
        id: newId(),
        type: 'discussion.started',
        subjectKind: 'discussion',
        subjectId,
        itemId: subjectId,
        groupId: c.g.id,
        actorId: c.admin.id,
        data: { title: 'Conformance', url: `/d/${subjectId}`, summary: { key: 'notify.discussion_started', params: { name: 'Ada', group: 'G', title: 'Conformance' } }, body: { text: 'Hello', html: '<p>Hello</p>' }, group: { slug: c.g.slug, name: 'G' }, actor: { id: c.admin.id, name: 'Ada' }, thread: { root: `d-${subjectId}`, item: `d-${subjectId}`, reply: false, subject: '[G] Conformance' } },
        createdAt: at,
      };
      await app.db.insertInto('notices').values({ ...notice, data: JSON.stringify(notice.data) }).execute();
      const users = userIds.length === 0 ? [] : await app.db.selectFrom('users').select(['id', 'email', 'locale', 'timeZone']).where('id', 'in', userIds).execute();
      const to: Recipient[] = [];
      for (const u of users) {
        await spec.reachable?.(app, u.id);
        const id = newId();
        await app.db
          .insertInto('notifications')
          .values({ id, userId: u.id, noticeId: notice.id, reason: 'mentioned', subjectKind: 'discussion', subjectId, itemId: subjectId, groupId: c.g.id, actorId: c.admin.id, inInbox: 0, mailState: null, dedupeKey: `mentioned:${subjectId}`, createdAt: at, readAt: null })
          .execute();
        to.push({ userId: u.id, reason: 'mentioned', notificationId: id, email: u.email, locale: u.locale, timeZone: u.timeZone, choice: spec.make(app).name === 'inbox' ? 'on' : 'now', quietUntil: null });
      }
      return { notice, to, rows: to.map((r) => ({ id: r.notificationId, email: r.email })) };
    }

    it('delivers exactly once to each recipient', async () => {
      const ch = spec.make(app);
      const { notice, to, rows } = await prepare([c.anne.id, c.bert.id]);
      await app.db.transaction().execute((tx) => ch.deliver(tx, notice, to, app.clock.now()));
      expect(await spec.delivered(app, rows)).toBe(2);
      for (const r of rows) expect(await spec.delivered(app, [r])).toBe(1);
    });

    it('delivers nothing when the write rolls back', async () => {
      const ch = spec.make(app);
      const { notice, to, rows } = await prepare([c.anne.id]);
      await expect(
        app.db.transaction().execute(async (tx) => {
          await ch.deliver(tx, notice, to, app.clock.now());
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');
      expect(await spec.delivered(app, rows)).toBe(0);
    });

    it('delivers nothing to nobody', async () => {
      const ch = spec.make(app);
      const { notice } = await prepare([]);
      await app.db.transaction().execute((tx) => ch.deliver(tx, notice, [], app.clock.now()));
      expect(await app.db.selectFrom('jobs').select('id').where('kind', '=', 'mail.send').execute()).toEqual([]);
    });

    it('finds the members who want every message through it, and only members', async () => {
      const ch = spec.make(app);
      expect(await app.db.transaction().execute((tx) => ch.everyMessage(tx, c.g.id))).toEqual([]);
      await spec.wantEvery(app, c.anne.id, c.g.id);
      await spec.wantEvery(app, c.outsider.id, c.g.id);
      expect(await app.db.transaction().execute((tx) => ch.everyMessage(tx, c.g.id))).toEqual([c.anne.id]);
    });
  });
