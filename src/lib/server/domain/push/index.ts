/** Devices that ring: Web Push subscriptions, the push channel of the notification pipeline, and its sender. */
export { createPushService, allowedEndpoint, deviceName, MAX_DEVICES, type PushService } from './push.service';
export { pushChannel, createPushSender, enqueueClears, tagOf } from './channel';
export type { PushTransport, PushTarget } from './port';
