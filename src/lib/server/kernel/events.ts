import type { Tx } from '../db/connect';

/**
 * Domain events: what happened, past tense, with a typed payload per type. Each feature
 * declares its own events next to its code by augmenting this interface:
 *
 * ```ts
 * declare module '../../kernel/events' {
 *   interface EventPayloads { 'comment.posted': { discussionId: string; commentId: string; … } }
 * }
 * ```
 *
 * so `recordEvent` refuses an unknown type or a payload of the wrong shape at compile time,
 * and a feature never has to edit a central list to add one.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventPayloads {}

export type EventType = keyof EventPayloads;

/** An event as a feature records it (`data` may be left out when the type carries none). */
export type DomainEvent<K extends EventType = EventType> = {
  type: K;
  groupId?: string | null;
  actorId?: string | null;
} & (Record<string, never> extends EventPayloads[K] ? { data?: EventPayloads[K] } : { data: EventPayloads[K] });

/** An event after it was written, as the notification step sees it. */
export type RecordedEvent<K extends EventType = EventType> = {
  type: K;
  groupId: string | null;
  actorId: string | null;
  data: EventPayloads[K];
  at: Date;
};

/** What a transaction opened by `inTx` collects: its events, and work to do after commit. */
export type TxContext = { events: RecordedEvent[]; afterCommit: (() => void)[] };
const contexts = new WeakMap<object, TxContext>();

/** Marks `tx` as a transaction of `inTx`, so its events reach the notification step. */
export function openTxContext(tx: Tx): TxContext {
  const ctx: TxContext = { events: [], afterCommit: [] };
  contexts.set(tx, ctx);
  return ctx;
}
export const txContext = (tx: Tx): TxContext | undefined => contexts.get(tx);

/** Event types after which a group's pages look different (live pages refresh on them). */
const live = new Set<string>();
export function markLive(types: Iterable<string>) {
  for (const t of types) live.add(t);
}
export const isLive = (type: string) => live.has(type);

/** Event types whose recording must notify someone (registered by the composition root). */
const notifying = new Set<string>();
export function markNotifying(types: Iterable<string>) {
  for (const t of types) notifying.add(t);
}

/**
 * Appends an event to the log (realtime and integrations read it in order) and hands it to
 * the notification step of the same transaction. An event that notifies people must be
 * recorded inside `inTx`: otherwise nobody would be told, so it fails loudly.
 */
export async function recordEvent<K extends EventType>(db: Tx, e: DomainEvent<K>, at: Date): Promise<void> {
  const ctx = contexts.get(db);
  if (!ctx && notifying.has(e.type)) throw new Error(`event ${e.type} notifies members: record it inside inTx`);
  await db
    .insertInto('events')
    .values({ type: e.type, groupId: e.groupId ?? null, actorId: e.actorId ?? null, data: JSON.stringify(e.data ?? {}), createdAt: at.toISOString() })
    .execute();
  ctx?.events.push({ type: e.type, groupId: e.groupId ?? null, actorId: e.actorId ?? null, data: (e.data ?? {}) as EventPayloads[K], at } as RecordedEvent);
}

/** Runs `fn` after the transaction of `tx` commits (now, when `tx` is not one of `inTx`). */
export function afterCommit(tx: Tx, fn: () => void) {
  const ctx = contexts.get(tx);
  if (ctx) ctx.afterCommit.push(fn);
  else fn();
}
