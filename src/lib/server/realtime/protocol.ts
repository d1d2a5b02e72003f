import { z } from 'zod';
import { emoji } from '../domain/chat/schemas';
import { text } from '../kernel/validate';

/**
 * WebSocket frames from clients: JSON objects with a `type`. Field contents (message body,
 * idempotency key, ids) are validated again by the chat service with its own schemas;
 * `ref` is echoed in the answer so a client can match acks and errors to its frames.
 */
const id = text().max(64);
const ref = text().max(64).optional();
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resume'), rooms: z.record(id, seq).refine((r) => Object.keys(r).length <= 200, 'too_many_rooms'), ref }),
  z.object({ type: z.literal('unsubscribe'), room: id, ref }),
  z.object({ type: z.literal('send'), room: id, key: text().max(64), body: text(), parentId: id.nullish(), ref }),
  z.object({ type: z.literal('edit'), id, body: text(), ref }),
  z.object({ type: z.literal('delete'), id, ref }),
  z.object({ type: z.literal('react'), id, emoji: emoji, on: z.boolean().default(true), ref }),
  z.object({ type: z.literal('typing'), room: id }),
  z.object({ type: z.literal('read'), room: id, seq, ref }),
  z.object({ type: z.literal('ping'), ref }),
  /** Notices that a group's discussions changed (live pages); only groups the member may read. */
  z.object({ type: z.literal('watch'), groups: z.array(id).max(200), ref }),
  z.object({ type: z.literal('unwatch'), groups: z.array(id).max(200), ref }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** Frames the server sends (documentation and client typing). */
export type ServerFrame =
  | { type: 'hello'; user: { id: string; name: string } }
  | { type: 'event'; room: string; seq: number; kind: string; message: unknown }
  | { type: 'subscribed'; room: string; seq: number; ref?: string }
  | { type: 'reset'; room: string; seq: number }
  | { type: 'unsubscribed'; room: string; reason: string }
  | { type: 'ack'; ref?: string; key?: string; room: string; seq: number | null; id: string; duplicate?: boolean }
  | { type: 'presence'; room: string; users: { id: string; name: string }[]; count: number }
  | { type: 'typing'; room: string; user: { id: string; name: string } }
  | { type: 'read'; room: string; readSeq: number; unread: number; ref?: string }
  | { type: 'pong'; ref?: string }
  | { type: 'watching'; groups: string[]; ref?: string }
  | { type: 'unwatched'; group: string; reason: string }
  | { type: 'notice'; group: string; kind: string; discussionId: string | null }
  /** A chat has a new message (`room`; `group` null for a direct conversation): unread counts changed. */
  | { type: 'notice'; group: string | null; kind: 'chat.message_posted'; room: string; discussionId: null }
  | { type: 'error'; code: string; message: string; ref?: string };

/** Limits of one connection; the defaults suit people, a benchmark may raise the rate. */
export type Limits = {
  /** Largest frame accepted; larger ones get an error frame (the socket stays open). */
  maxFrameBytes: number;
  /** Past this many bytes waiting in the socket's send buffer, the client is too slow: closed with 4008. */
  maxBufferedBytes: number;
  /** Token bucket per connection, for every frame. */
  framesPerSecond: number;
  burst: number;
  /** A room whose client is further behind than this is told to reload instead of replaying. */
  maxReplay: number;
};
export const defaultLimits: Limits = { maxFrameBytes: 64 * 1024, maxBufferedBytes: 1024 * 1024, framesPerSecond: 10, burst: 30, maxReplay: 5000 };

export const CLOSE_SLOW_CONSUMER = 4008;
