import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

/** A person as presence and typing indicators show them. */
export type Person = { id: string; name: string };

/** What server processes tell each other. Room frames travel already encoded. */
export type BusMessage =
  | { t: 'room'; room: string; seq: number; frame: string }
  | { t: 'typing'; room: string; user: Person }
  | { t: 'presence'; room: string; users: Person[] }
  | { t: 'presence-all'; rooms: Record<string, Person[]> }
  /** A group's content changed (live pages refresh): ids only, filtered by who watches the group. */
  | { t: 'notice'; group: string; kind: string; ids: Record<string, string>; actor?: string | null }
  /** A frame for every open connection of one member (their inbox count, read marks). */
  | { t: 'user'; user: string; frame: string }
  | { t: 'hello' };
export type Envelope = BusMessage & { node: string };

/**
 * The fan-out port between server processes. `publish` delivers to this process's own
 * handlers at once (no round trip for local listeners) and to every other process.
 */
export interface Bus {
  readonly node: string;
  publish(m: BusMessage): void;
  subscribe(handler: (m: Envelope) => void): void;
  close(): Promise<void>;
}

/** One process: everything stays in memory. */
export class MemoryBus implements Bus {
  readonly node = randomUUID();
  private handlers: ((m: Envelope) => void)[] = [];
  publish(m: BusMessage) {
    const e = { ...m, node: this.node } as Envelope;
    for (const h of this.handlers) h(e);
  }
  subscribe(handler: (m: Envelope) => void) {
    this.handlers.push(handler);
  }
  async close() {
    this.handlers = [];
  }
}

/**
 * Several processes sharing one Redis: messages go through pub/sub on one channel; a
 * process ignores its own echo since it already delivered locally.
 */
export class RedisBus implements Bus {
  readonly node = randomUUID();
  private handlers: ((m: Envelope) => void)[] = [];
  private pub: Redis;
  private sub: Redis;
  readonly ready: Promise<void>;

  constructor(url: string, private channel = 'ruche:realtime', private log: (m: string) => void = () => {}) {
    this.pub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    this.sub = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    for (const c of [this.pub, this.sub]) c.on('error', (e: Error) => this.log(`redis: ${e.message}`));
    this.sub.on('message', (_ch: string, raw: string) => {
      let e: Envelope;
      try {
        e = JSON.parse(raw);
      } catch {
        return;
      }
      if (e.node === this.node) return;
      for (const h of this.handlers) h(e);
    });
    this.ready = this.sub.subscribe(this.channel).then(() => undefined);
  }
  publish(m: BusMessage) {
    const e = { ...m, node: this.node } as Envelope;
    for (const h of this.handlers) h(e);
    this.pub.publish(this.channel, JSON.stringify(e)).catch((err: Error) => this.log(`redis publish: ${err.message}`));
  }
  subscribe(handler: (m: Envelope) => void) {
    this.handlers.push(handler);
  }
  async close() {
    this.handlers = [];
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
