/** Events of devices that ring. */
declare module '../../kernel/events' {
  interface EventPayloads {
    'push.device_added': { deviceId: string };
    'push.device_removed': { deviceId: string };
  }
}
export {};
