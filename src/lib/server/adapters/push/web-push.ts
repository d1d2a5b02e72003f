import type https from 'node:https';
import webpush from 'web-push';
import type { Config } from '../../config';
import type { PushTarget, PushTransport } from '../../domain/push/port';
import { vapidKeys } from './vapid';

/**
 * Web Push through the `web-push` library: the payload is encrypted for the device
 * (RFC 8291, aes128gcm) and signed with this server's VAPID key (RFC 8292). A refusal by the
 * push service comes back as its status, so the caller decides (404/410: forget the device).
 */
export function webPushTransport(config: Config, opts: { agent?: https.Agent } = {}): PushTransport {
  const keys = vapidKeys(config.dataDir);
  const subject = config.baseUrl.startsWith('https:') ? config.baseUrl : `mailto:${config.mailFrom.match(/<([^>]+)>/)?.[1] ?? `noreply@${config.mailDomain}`}`;
  return {
    publicKey: keys.publicKey,
    async send(target: PushTarget, payload: string, o) {
      try {
        const r = await webpush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
          vapidDetails: { subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
          TTL: o.ttlSeconds,
          urgency: o.urgency,
          ...(o.topic ? { topic: o.topic } : {}),
          timeout: 15_000,
          ...(opts.agent ? { agent: opts.agent } : {}),
        });
        return { status: r.statusCode };
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        if (typeof status === 'number') return { status };
        throw e;
      }
    },
  };
}
