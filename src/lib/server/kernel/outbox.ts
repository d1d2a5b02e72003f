import type { Tx } from '../db/connect';
import { newId } from './ids';

/** Typed domain events, past tense. Recorded in the same transaction as the change. */
export type DomainEvent = {
  type: string;
  groupId?: string | null;
  actorId?: string | null;
  data?: Record<string, unknown>;
};

/** Appends an event to the log; realtime and integrations read it in order. */
export async function recordEvent(db: Tx, e: DomainEvent, at: Date): Promise<void> {
  await db
    .insertInto('events')
    .values({ type: e.type, groupId: e.groupId ?? null, actorId: e.actorId ?? null, data: JSON.stringify(e.data ?? {}), createdAt: at.toISOString() })
    .execute();
}

/** Job kinds and their payloads: the outbox contract between the domain and the runner. */
export type JobPayloads = {
  'mail.send': MailMessage;
  /** Build one member's digest for the period ending at `at` (ISO). */
  'digest.build': { userId: string; at: string };
  /** Housekeeping (jobs/maintenance.ts): unused uploads, old idempotency keys. One per hour. */
  'maintenance.sweep': { at: string };
};
export type JobKind = keyof JobPayloads;

/** An outgoing mail, fully rendered at enqueue time so a retry sends the same bytes. */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable Message-ID, so a retried send is recognisably the same mail. */
  messageId: string;
  fromName?: string;
  replyTo?: string;
  headers?: Record<string, string>;
};

/**
 * Writes a job in the caller's transaction (transactional outbox): if the change commits,
 * the job exists; if it rolls back, no mail or push is ever sent.
 */
export async function enqueueJob<K extends JobKind>(db: Tx, kind: K, payload: JobPayloads[K], at: Date, runAt = at): Promise<string> {
  const id = newId();
  await db
    .insertInto('jobs')
    .values({ id, kind, payload: JSON.stringify(payload), runAt: runAt.toISOString(), attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null, createdAt: at.toISOString() })
    .execute();
  return id;
}
