/**
 * The device outbox: what a member writes or does without a network (a reply, a chat
 * message, a reaction, a task marked done, taken or moved, an answer to an event) waits here, on the device, and leaves when the network returns, in the order it
 * was written. Each entry carries the idempotency key it was given when it was written, and
 * every try sends that same key: the server keeps the first write for a key (see
 * kernel/idempotency.ts, chat_messages.client_key), so a try whose answer was lost and is
 * repeated never posts twice.
 *
 * An answer that says the thing can no longer be posted (the discussion was deleted, the
 * member lost access, the text was refused) keeps the entry as "refused" with its text, so the
 * member can copy it; it does not block the entries after it. A network failure or a busy
 * server stops the round and keeps the order for the next one.
 *
 * The storage is a port (`OutboxStore`): IndexedDB in the browser (outbox.idb.ts), a memory
 * fake in tests.
 */

export type OutboxKind = 'comment' | 'chat' | 'chat-reaction' | 'task' | 'rsvp';

/** The window event a one-tap form kept offline sends (./queue.ts): `detail` is what will be done, for the network indicator. */
export const QUEUED_EVENT = 'ruche:queued';

/** Kinds that are something done, not words written: a refusal shows what the member tried to do. */
export const isAction = (e: Pick<OutboxEntry, 'kind'>) => e.kind === 'task' || e.kind === 'rsvp';

/** Why the server refused an entry: it is gone or hidden (403/404/410), or it refused the content. */
export type RefusalReason = 'gone' | 'refused';

export type OutboxEntry = {
  /** Set by the store; increasing, so it gives the order of writing. */
  id?: number;
  /** Whose words these are: another member signing in on the device never sends them. */
  userId: string;
  kind: OutboxKind;
  /** Where it shows while waiting: `discussion:<id>`, `chat:<roomId>`, `task:<id>` or `event:<id>`. */
  scope: string;
  /** The JSON API address it is posted to. */
  url: string;
  /** The JSON body, with its idempotency `key`. */
  payload: Record<string, unknown> & { key: string };
  /** What the member wrote (or, for a task change or an answer, what they did, in their words), shown while waiting and kept on a refusal. */
  text: string;
  createdAt: string;
  state: 'waiting' | 'refused';
  reason?: RefusalReason;
  /** The server's explanation of a refusal, in the member's language. */
  message?: string;
};

/** Where entries are kept. */
export interface OutboxStore {
  add(e: OutboxEntry): Promise<number>;
  /** The member's entries, oldest first. */
  list(userId: string): Promise<OutboxEntry[]>;
  put(e: OutboxEntry): Promise<void>;
  remove(id: number): Promise<void>;
  /** Forgets everything kept on the device (logging out). */
  clear(): Promise<void>;
}

/** An in-memory store, for tests and for browsers without IndexedDB. */
export class MemoryOutboxStore implements OutboxStore {
  private rows = new Map<number, OutboxEntry>();
  private next = 1;
  async add(e: OutboxEntry) {
    const id = this.next++;
    this.rows.set(id, { ...e, id });
    return id;
  }
  async list(userId: string) {
    return [...this.rows.values()].filter((e) => e.userId === userId).sort((a, b) => a.id! - b.id!).map((e) => ({ ...e }));
  }
  async put(e: OutboxEntry) {
    this.rows.set(e.id!, { ...e });
  }
  async remove(id: number) {
    this.rows.delete(id);
  }
  async clear() {
    this.rows.clear();
  }
}

/** What one try gives. */
export type Delivery = { outcome: 'sent' } | { outcome: 'refused'; reason: RefusalReason; message?: string } | { outcome: 'retry' } | { outcome: 'signed-out' };

/**
 * Posts one entry and classifies the answer. Only a definite answer from the server ends an
 * entry: a network error or a 5xx/429 means "try again later, with the same key".
 */
export async function deliver(e: OutboxEntry, fetcher: typeof fetch): Promise<Delivery> {
  let res: Response;
  try {
    res = await fetcher(e.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': e.payload.key },
      body: JSON.stringify(e.payload),
      credentials: 'same-origin',
    });
  } catch {
    return { outcome: 'retry' };
  }
  if (res.ok) return { outcome: 'sent' };
  if (res.status === 401) return { outcome: 'signed-out' };
  if (res.status === 429 || res.status >= 500 || res.status === 408) return { outcome: 'retry' };
  let message: string | undefined;
  try {
    message = ((await res.json()) as { error?: { message?: string } }).error?.message;
  } catch {
    message = undefined;
  }
  if (res.status === 403 || res.status === 404 || res.status === 410) return { outcome: 'refused', reason: 'gone', message };
  return { outcome: 'refused', reason: 'refused', message };
}

/** What a round of sending did. */
export type FlushReport = { sent: OutboxEntry[]; refused: OutboxEntry[]; waiting: number; stopped: 'done' | 'network' | 'signed-out' };

/**
 * Sends the member's waiting entries, oldest first, stopping at the first one that must wait
 * (so a later entry never overtakes an earlier one). Refused entries stay, marked, with their text.
 */
export async function flushOutbox(store: OutboxStore, userId: string, fetcher: typeof fetch): Promise<FlushReport> {
  const report: FlushReport = { sent: [], refused: [], waiting: 0, stopped: 'done' };
  const entries = (await store.list(userId)).filter((e) => e.state === 'waiting');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const d = await deliver(e, fetcher);
    if (d.outcome === 'sent') {
      await store.remove(e.id!);
      report.sent.push(e);
    } else if (d.outcome === 'refused') {
      const refused: OutboxEntry = { ...e, state: 'refused', reason: d.reason, message: d.message };
      await store.put(refused);
      report.refused.push(refused);
    } else {
      report.stopped = d.outcome === 'retry' ? 'network' : 'signed-out';
      report.waiting = entries.length - i;
      break;
    }
  }
  return report;
}

/** A fresh random idempotency key (128 bits, hex). */
export function newKey(): string {
  const a = new Uint8Array(16);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A reply to a discussion, posted through the JSON API as `POST /api/v1/discussions/:id/comments`. */
export function commentEntry(userId: string, discussionId: string, body: string, key = newKey()): OutboxEntry {
  return { userId, kind: 'comment', scope: `discussion:${discussionId}`, url: `/api/v1/discussions/${encodeURIComponent(discussionId)}/comments`, payload: { key, body }, text: body, createdAt: new Date().toISOString(), state: 'waiting' };
}

/** A chat message (`POST /api/v1/chat/rooms/:id/messages`); the key is the message's client key. */
export function chatEntry(userId: string, roomId: string, body: string, parentId: string | null, key = newKey()): OutboxEntry {
  return { userId, kind: 'chat', scope: `chat:${roomId}`, url: `/api/v1/chat/rooms/${encodeURIComponent(roomId)}/messages`, payload: { key, body, parentId }, text: body, createdAt: new Date().toISOString(), state: 'waiting' };
}

/** A chat reaction put on or taken off (the same answer however often it is sent). */
export function chatReactionEntry(userId: string, roomId: string, messageId: string, emoji: string, on: boolean, key = newKey()): OutboxEntry {
  return { userId, kind: 'chat-reaction', scope: `chat:${roomId}`, url: `/api/v1/chat/messages/${encodeURIComponent(messageId)}/reactions`, payload: { key, emoji, on }, text: emoji, createdAt: new Date().toISOString(), state: 'waiting' };
}

/** A change of a task made with one tap: done, "I'll take it", or a move to the top of a column (based on the version seen). */
export type TaskChange = { action: 'done' } | { action: 'take' } | { action: 'move'; columnId: string; version: number };

/**
 * A task change (`POST /api/v1/tasks/:id/complete`, `/take` or `/move`), keyed so that a
 * repeat after a lost answer changes nothing; `text` says what was done ("Mark “Flyers” as done").
 */
export function taskEntry(userId: string, taskId: string, change: TaskChange, text: string, key = newKey()): OutboxEntry {
  const path = change.action === 'done' ? 'complete' : change.action;
  const payload = change.action === 'move' ? { key, columnId: change.columnId, version: change.version, position: 0 } : { key };
  return { userId, kind: 'task', scope: `task:${taskId}`, url: `/api/v1/tasks/${encodeURIComponent(taskId)}/${path}`, payload, text, createdAt: new Date().toISOString(), state: 'waiting' };
}

/** An answer to an event (`POST /api/v1/events/:id/rsvp`), for one occurrence of a series or the event itself. */
export function rsvpEntry(userId: string, eventId: string, answer: 'yes' | 'maybe' | 'no', occurrence: string | null, text: string, key = newKey()): OutboxEntry {
  return { userId, kind: 'rsvp', scope: `event:${eventId}`, url: `/api/v1/events/${encodeURIComponent(eventId)}/rsvp`, payload: { key, answer, ...(occurrence ? { occurrence } : {}) }, text, createdAt: new Date().toISOString(), state: 'waiting' };
}
