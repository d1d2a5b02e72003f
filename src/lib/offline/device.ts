/**
 * The outbox as the pages use it: entries kept in IndexedDB (so they survive a reload or a
 * closed tab), one sender per page that runs when the network returns, and change notices
 * to the components that show what waits (this tab and the others, through a BroadcastChannel).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { flushOutbox, MemoryOutboxStore, type FlushReport, type OutboxEntry, type OutboxStore } from './outbox';
import { markReachable, markUnreachable, online, onNetworkChange } from './network';

interface DeviceDb extends DBSchema {
  outbox: { key: number; value: OutboxEntry; indexes: { byUser: string } };
}

const DB_NAME = 'ruche-device';

/** IndexedDB as the outbox's store. */
class IdbOutboxStore implements OutboxStore {
  private db: Promise<IDBPDatabase<DeviceDb>>;
  constructor() {
    this.db = openDB<DeviceDb>(DB_NAME, 1, {
      upgrade(db) {
        const s = db.createObjectStore('outbox', { keyPath: 'id', autoIncrement: true });
        s.createIndex('byUser', 'userId');
      },
    });
  }
  async add(e: OutboxEntry) {
    const { id: _id, ...row } = e;
    return (await this.db).add('outbox', row as OutboxEntry);
  }
  async list(userId: string) {
    // Keys of one index value come in primary-key order: the order of writing.
    return (await this.db).getAllFromIndex('outbox', 'byUser', userId);
  }
  async put(e: OutboxEntry) {
    await (await this.db).put('outbox', e);
  }
  async remove(id: number) {
    await (await this.db).delete('outbox', id);
  }
  async clear() {
    await (await this.db).clear('outbox');
  }
}

let store: OutboxStore | null = null;
function getStore(): OutboxStore {
  store ??= typeof indexedDB === 'undefined' ? new MemoryOutboxStore() : new IdbOutboxStore();
  return store;
}

const local = new EventTarget();
let channel: BroadcastChannel | null = null;
function changed() {
  local.dispatchEvent(new Event('change'));
  channel?.postMessage('change');
}

/** Calls `fn` whenever the outbox changes here or in another tab; returns the unsubscribe. */
export function onOutboxChange(fn: () => void): () => void {
  if (typeof BroadcastChannel !== 'undefined' && !channel) {
    channel = new BroadcastChannel('ruche-outbox');
    channel.onmessage = () => local.dispatchEvent(new Event('change'));
  }
  local.addEventListener('change', fn);
  return () => local.removeEventListener('change', fn);
}

/** Keeps an entry for sending, then tries to send at once if the browser thinks it is online. */
export async function enqueue(e: OutboxEntry): Promise<void> {
  await getStore().add(e);
  changed();
  if (online()) void sendWaiting();
}

/** The member's entries (waiting and refused), oldest first. */
export async function outboxEntries(userId: string): Promise<OutboxEntry[]> {
  return getStore().list(userId);
}

/** The member has read a refusal and copied their text: the entry goes. */
export async function dismiss(id: number): Promise<void> {
  await getStore().remove(id);
  changed();
}

let currentUser: string | null = null;
let running: Promise<FlushReport | null> | null = null;
const reports = new EventTarget();

/** Calls `fn` with each round's report (what was sent, what was refused). */
export function onFlushed(fn: (r: FlushReport) => void): () => void {
  const h = (ev: Event) => fn((ev as CustomEvent<FlushReport>).detail);
  reports.addEventListener('flushed', h);
  return () => reports.removeEventListener('flushed', h);
}

/**
 * One round of sending for the signed-in member. Rounds never overlap in a tab, and across
 * tabs a Web Lock keeps one sender at a time (the keys would make a twin harmless anyway).
 */
export function sendWaiting(): Promise<FlushReport | null> {
  const userId = currentUser;
  if (!userId) return Promise.resolve(null);
  running ??= (async () => {
    try {
      const round = () => flushOutbox(getStore(), userId, (input, init) => fetch(input, init));
      const r = navigator.locks ? await navigator.locks.request('ruche-outbox', round) : await round();
      if (r.sent.length || r.refused.length) changed();
      // The answers (or their absence) say whether the server can be reached.
      if (r.stopped === 'network') markUnreachable();
      else if (r.sent.length || r.refused.length) markReachable();
      reports.dispatchEvent(new CustomEvent('flushed', { detail: r }));
      return r;
    } finally {
      running = null;
    }
  })();
  return running;
}

/**
 * Starts the sender for the signed-in member: now, whenever the network comes back, and
 * every so often while something waits (a network that is "up" but loses everything).
 */
export function startOutbox(userId: string): () => void {
  currentUser = userId;
  const offNetwork = onNetworkChange((on) => on && void sendWaiting());
  const timer = setInterval(async () => {
    if (!online()) return;
    const waiting = (await getStore().list(userId)).some((e) => e.state === 'waiting');
    if (waiting) void sendWaiting();
  }, 15000);
  void sendWaiting();
  return () => {
    offNetwork();
    clearInterval(timer);
    if (currentUser === userId) currentUser = null;
  };
}

/** Forgets every entry on this device (logging out: the next member must not see or send them). */
export async function forgetOutbox(): Promise<void> {
  await getStore().clear();
  changed();
}
