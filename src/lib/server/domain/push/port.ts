/** A device to push to: its push service URL and the keys that encrypt for it. */
export type PushTarget = { endpoint: string; p256dh: string; auth: string };

/**
 * Port: how a notification reaches a device through its push service (Web Push with VAPID,
 * encrypted for the device). `status` is the push service's answer: 201 accepted; 404 and
 * 410 mean the device is gone.
 */
export interface PushTransport {
  readonly publicKey: string;
  send(target: PushTarget, payload: string, o: { ttlSeconds: number; urgency: 'high' | 'normal'; topic?: string }): Promise<{ status: number }>;
}
