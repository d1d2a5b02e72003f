import type { Tx } from '../../db/connect';

/** One thing a digest lists: unread activity in one discussion (or any other feature's item). */
export type DigestItem = {
  groupId: string;
  groupName: string;
  title: string;
  url: string;
  newCount: number;
  lastActivityAt: string;
  /** What the line says instead of its count of news: a message key, and the instant its `{date}` shows (in the member's zone). */
  note?: { key: string; at?: string | null };
};

/**
 * A feature's part of the periodic digest: what the member has not read, in the groups they
 * get digests for, since each group's window start. Declared by the feature (it reads its own
 * tables, only in the member's groups); mail only renders it.
 */
export type DigestSource = (db: Tx, p: { userId: string; windows: Map<string, string>; at: string }) => Promise<DigestItem[]>;
