import { createHash } from 'node:crypto';
import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import { enqueueJobs, type PushPayload } from '../../kernel/outbox';
import { isLocale, translator } from '../../../i18n';
import { summaryText, type Channel, type Notice, type Reason } from '../notifications';
import type { PushTransport } from './port';

/** Reasons that ring at once (the push service delivers right away, waking the phone). */
const URGENT: readonly Reason[] = ['mentioned', 'direct', 'assigned', 'reminder'];
/** How long a push service keeps trying to reach a device that is off. */
const TTL_SECONDS = 24 * 3600;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Notifications about one discussion or conversation replace each other on the device. */
export const tagOf = (n: { subjectKind: string; subjectId: string }) => `${n.subjectKind}:${n.subjectId}`;
/** The same, for the push service (at most 32 URL-safe characters): a newer push replaces a waiting one. */
const topicOf = (tag: string) => createHash('sha256').update(tag).digest('base64url').slice(0, 32);

/**
 * The push channel: each recipient's devices get one encrypted notification each (one job
 * per device, so one event rings a device once), in the member's language, held during their
 * quiet hours; a notification replaces the previous one about the same discussion or chat.
 */
export function pushChannel(deps: Deps): Channel {
  return {
    name: 'push',
    async everyMessage(tx: Tx, groupId: string) {
      const rows = await tx
        .selectFrom('notificationPrefs as p')
        .select('p.userId')
        .where('p.reason', '=', 'member')
        .where('p.channel', '=', 'push')
        .where('p.value', '=', 'now')
        .where((eb) => eb.exists(eb.selectFrom('memberships as m').select('m.userId').whereRef('m.userId', '=', 'p.userId').where('m.groupId', '=', groupId)))
        .execute();
      return rows.map((r) => r.userId);
    },
    async deliver(tx: Tx, notice: Notice, to, at) {
      if (!to.length) return;
      const devices = await tx.selectFrom('pushSubscriptions').select(['id', 'userId']).where('userId', 'in', to.map((r) => r.userId)).execute();
      if (!devices.length) return;
      const tag = tagOf(notice);
      const jobs = [];
      for (const r of to) {
        const t = translator(isLocale(r.locale) ? r.locale : 'fr');
        const payload: PushPayload = {
          type: 'notify',
          title: clip(summaryText(t, notice.data, r.reason), 120),
          body: clip(notice.data.excerpt ?? notice.data.title, 240),
          url: notice.data.url,
          tag,
          notificationId: r.notificationId,
        };
        for (const d of devices) if (d.userId === r.userId) jobs.push({ payload: { subscriptionId: d.id, payload, urgency: URGENT.includes(r.reason) ? ('high' as const) : ('normal' as const), topic: topicOf(tag) }, runAt: r.quietUntil ?? at });
      }
      await enqueueJobs(tx, 'push.send', jobs, at);
    },
  };
}

/**
 * The 'push.send' job: sends to the device's push service. Accepted: the device was used.
 * 404/410: the device is gone, forgotten at once. Too big or malformed (400, 413): dropped,
 * retrying would not help. Anything else (429, 5xx, network): thrown, so the runner retries
 * with back-off.
 */
export function createPushSender(deps: Deps, transport: PushTransport) {
  return async (job: { subscriptionId: string; payload: PushPayload; urgency: 'high' | 'normal'; topic?: string }) => {
    const d = await deps.db.selectFrom('pushSubscriptions').select(['id', 'endpoint', 'p256dh', 'auth']).where('id', '=', job.subscriptionId).executeTakeFirst();
    if (!d) return;
    const { status } = await transport.send(d, JSON.stringify(job.payload), { ttlSeconds: TTL_SECONDS, urgency: job.urgency, topic: job.topic });
    if (status >= 200 && status < 300) {
      await deps.db.updateTable('pushSubscriptions').set({ lastUsedAt: deps.clock.now().toISOString() }).where('id', '=', d.id).execute();
      return;
    }
    if (status === 404 || status === 410) {
      await deps.db.deleteFrom('pushSubscriptions').where('id', '=', d.id).execute();
      deps.log(`push: device ${d.id} is gone (${status}), forgotten`);
      return;
    }
    if (status === 400 || status === 413) {
      deps.log(`push: device ${d.id} refused the notification (${status})`);
      return;
    }
    throw new Error(`push service answered ${status}`);
  };
}

/**
 * After reading on one device, the others close what they show about it. Apple's push
 * service is left out: every push there must show a notification, so a silent "close"
 * would cost the device its subscription.
 */
export async function enqueueClears(tx: Tx, userId: string, tags: string[], at: Date): Promise<void> {
  if (!tags.length) return;
  const devices = await tx.selectFrom('pushSubscriptions').select(['id', 'endpoint']).where('userId', '=', userId).execute();
  const jobs = devices
    .filter((d) => !/(^|\.)push\.apple\.com$/.test(new URL(d.endpoint).hostname))
    .map((d) => ({ payload: { subscriptionId: d.id, payload: { type: 'clear' as const, tags: tags.slice(0, 50) }, urgency: 'normal' as const } }));
  await enqueueJobs(tx, 'push.send', jobs, at);
}
