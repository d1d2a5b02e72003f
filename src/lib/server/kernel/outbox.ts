import type { Tx } from '../db/connect';
import { newId } from './ids';

export { recordEvent, type DomainEvent } from './events';

/** Job kinds and their payloads: the outbox contract between the domain and the runner. */
export type JobPayloads = {
  'mail.send': MailMessage;
  /** Build one member's digest for the period ending at `at` (ISO). */
  'digest.build': { userId: string; at: string };
  /** Send what waited in a member's merge window for one discussion or room, as one mail. */
  'mail.flush': { userId: string; subjectId: string };
  /** One notification to one device (a Web Push subscription), already in the member's language. */
  'push.send': { subscriptionId: string; payload: PushPayload; urgency: 'high' | 'normal'; topic?: string };
  /** Housekeeping (jobs/maintenance.ts): unused uploads, old idempotency keys. One per hour. */
  'maintenance.sweep': { at: string };
  /** Deciding and meeting: reminders and deadlines due (domain/decide/reminders.ts). One per five-minute slot. */
  'decide.tick': { at: string };
};

/** What the service worker receives: a notification to show, or notifications to close. */
export type PushPayload =
  | { type: 'notify'; title: string; body: string; url: string; tag: string; notificationId: string; icon?: string }
  | { type: 'clear'; tags: string[] };
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
  /**
   * Goes even to an address marked as failing: login links, password resets and the
   * address confirmation itself, without which a member could be locked out.
   */
  essential?: boolean;
  /**
   * Files sent with the mail, rendered at enqueue time like the rest. A `text/calendar`
   * one (an invitation, with its `method`) also goes as the mail's calendar part, so mail
   * clients offer to add it to the calendar.
   */
  attachments?: { filename: string; contentType: string; content: string; method?: 'REQUEST' | 'CANCEL' | 'PUBLISH' }[];
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

/** Several jobs of one kind in few statements (a notification to many members), each with its own run time. */
export async function enqueueJobs<K extends JobKind>(db: Tx, kind: K, jobs: { payload: JobPayloads[K]; runAt?: Date }[], at: Date): Promise<void> {
  const iso = at.toISOString();
  for (let i = 0; i < jobs.length; i += 100) {
    const rows = jobs.slice(i, i + 100).map((j) => ({ id: newId(), kind, payload: JSON.stringify(j.payload), runAt: (j.runAt ?? at).toISOString(), attempts: 0, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null, createdAt: iso }));
    if (rows.length) await db.insertInto('jobs').values(rows).execute();
  }
}
