import type { Expression, RawBuilder, SqlBool } from 'kysely';
import type { Tx } from '../../db/connect';
import type { Actor } from '../../policy';
import type { Notice } from './notice';
import type { ChannelName, Reason } from './reasons';

/** One member to tell through a channel, with what the channel needs to know of them. */
export type Recipient = {
  userId: string;
  reason: Reason;
  /** Their notification row for this notice (read state, merge state). */
  notificationId: string;
  email: string;
  locale: string;
  timeZone: string;
  /** The member's choice for this reason on this channel (never 'off' here). */
  choice: string;
  /** Inside the member's quiet hours: when they end; null otherwise. */
  quietUntil: Date | null;
};

/**
 * A way of telling members: inbox, mail, push. The pipeline decides who is told of what and
 * why (policy, preferences, author, quiet hours); a channel only delivers, inside the same
 * transaction, so a rolled-back write tells nobody. Every channel passes one conformance suite.
 */
export interface Channel {
  readonly name: ChannelName;
  /**
   * Members of a group who want every message through this channel (reason `member`),
   * found through their preferences, so the cost follows who wants it, not the group's size.
   */
  everyMessage(tx: Tx, groupId: string): Promise<string[]>;
  /** Delivers one notice to recipients who chose this channel for their reason. */
  deliver(tx: Tx, notice: Notice, to: Recipient[], at: Date): Promise<void>;
}

/**
 * Per subject kind, the SQL that keeps the notifications whose subject the actor may still
 * read (`subjectId` names the column holding the subject's id). Declared by each feature
 * with the policy's SQL twins, so the inbox never shows what its reader may no longer see.
 */
export type SubjectVisibility = Record<string, (actor: Actor & { kind: 'user' }, subjectId: RawBuilder<unknown>, itemId: RawBuilder<unknown>) => Expression<SqlBool>>;
