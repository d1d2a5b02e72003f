import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../../config';
import { inTx, type Deps } from '../../kernel/deps';
import { invalidField, notFound, unauthenticated } from '../../kernel/errors';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse, text, visibleText } from '../../kernel/validate';
import { authorize, isUser, type Actor } from '../../policy';

/** Devices one member may register at once. */
export const MAX_DEVICES = 20;

const b64url = (bytes: number, code: string) =>
  text()
    .max(200, code)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, code)
    .refine((s) => Buffer.from(s, 'base64url').length === bytes, code);

const SubscribeInput = z.object({
  endpoint: text().trim().max(1000, 'push_endpoint'),
  keys: z.object({ p256dh: b64url(65, 'push_keys'), auth: b64url(16, 'push_keys') }),
  name: text().trim().max(60, 'too_long').optional(),
});
const DeviceRef = z.object({ id: text().max(64, 'not_found') });
const RenameInput = DeviceRef.extend({ name: visibleText(1, 60) });

/** Whether a URL is one of the configured push services, over https: the server sends there, so never just any address. */
export function allowedEndpoint(config: Pick<Config, 'pushServices'>, raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const host = u.host.toLowerCase();
  const listed = config.pushServices.some((p) => (p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p));
  if (!listed) return false;
  return u.protocol === 'https:';
}

/** A readable name for a device from its browser's user agent: "Chrome on Android". */
export function deviceName(userAgent: string): string {
  const ua = userAgent || '';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad|iPod/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} · ${os}` : browser;
}

/**
 * A member's devices that ring: turning notifications on (a browser's push subscription),
 * naming, removing. A device's endpoint belongs to one member at a time: subscribing it again
 * (after another member used the same browser) moves it.
 */
export function createPushService(deps: Deps, publicKey: () => string) {
  const { db, clock, config } = deps;
  const me = (actor: Actor) => {
    authorize(actor, 'notifications.self');
    return isUser(actor) ? actor : unauthenticated();
  };
  const view = (d: { id: string; name: string; createdAt: string; lastUsedAt: string | null; endpoint: string }) => ({
    id: d.id,
    name: d.name,
    createdAt: d.createdAt,
    lastUsedAt: d.lastUsedAt,
    service: new URL(d.endpoint).hostname,
    /** Lets a page recognise "this device" (SHA-256 of the endpoint, hex) without showing the endpoint. */
    endpointHash: createHash('sha256').update(d.endpoint).digest('hex'),
  });

  return {
    /** The server's public VAPID key, for the browser's `pushManager.subscribe`. */
    publicKey,

    /** The member's devices, newest first. */
    async devices(actor: Actor) {
      const a = me(actor);
      const rows = await db.selectFrom('pushSubscriptions').select(['id', 'name', 'createdAt', 'lastUsedAt', 'endpoint']).where('userId', '=', a.userId).orderBy('createdAt', 'desc').execute();
      return { publicKey: publicKey(), items: rows.map(view) };
    },

    /** Turns notifications on for this device (its browser's subscription). */
    async subscribe(actor: Actor, raw: unknown, ctx: { userAgent?: string } = {}) {
      const a = me(actor);
      const input = parse(SubscribeInput, raw);
      if (!allowedEndpoint(config, input.endpoint)) invalidField('endpoint', 'push_endpoint');
      if (Buffer.from(input.keys.p256dh, 'base64url')[0] !== 4) invalidField('keys.p256dh', 'push_keys');
      return inTx(deps, async (tx) => {
        const now = clock.now().toISOString();
        const existing = await tx.selectFrom('pushSubscriptions').select(['id', 'userId']).where('endpoint', '=', input.endpoint).executeTakeFirst();
        if (existing) await tx.deleteFrom('pushSubscriptions').where('id', '=', existing.id).execute();
        const count = await tx.selectFrom('pushSubscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('userId', '=', a.userId).executeTakeFirstOrThrow();
        if (Number(count.n) >= MAX_DEVICES) invalidField('endpoint', 'push_too_many', { max: MAX_DEVICES });
        const id = newId();
        const ua = (ctx.userAgent ?? '').slice(0, 300);
        const row = { id, userId: a.userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth, name: input.name || deviceName(ua), userAgent: ua, createdAt: now, lastUsedAt: null };
        await tx.insertInto('pushSubscriptions').values(row).execute();
        await recordEvent(tx, { type: 'push.device_added', actorId: a.userId, data: { deviceId: id } }, clock.now());
        return view(row);
      });
    },

    /** Renames one of the member's devices. */
    async rename(actor: Actor, raw: unknown) {
      const a = me(actor);
      const input = parse(RenameInput, raw);
      const r = await db.updateTable('pushSubscriptions').set({ name: input.name }).where('id', '=', input.id).where('userId', '=', a.userId).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) notFound();
      return { ok: true as const };
    },

    /** Removes one of the member's devices (it rings no more). */
    async remove(actor: Actor, raw: unknown) {
      const a = me(actor);
      const { id } = parse(DeviceRef, raw);
      await inTx(deps, async (tx) => {
        const r = await tx.deleteFrom('pushSubscriptions').where('id', '=', id).where('userId', '=', a.userId).executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) notFound();
        await recordEvent(tx, { type: 'push.device_removed', actorId: a.userId, data: { deviceId: id } }, clock.now());
      });
      return { ok: true as const };
    },

    /** Forgets a device by its endpoint (the browser unsubscribed it). Only the member's own. */
    async unsubscribe(actor: Actor, raw: unknown) {
      const a = me(actor);
      const { endpoint } = parse(z.object({ endpoint: text().max(1000, 'push_endpoint') }), raw);
      await db.deleteFrom('pushSubscriptions').where('endpoint', '=', endpoint).where('userId', '=', a.userId).execute();
      return { ok: true as const };
    },
  };
}
export type PushService = ReturnType<typeof createPushService>;
