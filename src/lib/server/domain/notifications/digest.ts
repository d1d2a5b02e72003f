import type { Tx } from '../../db/connect';

/** One thing a digest lists: unread activity in one discussion (or any other feature's item). */
export type DigestItem = { groupId: string; groupName: string; title: string; url: string; newCount: number; lastActivityAt: string };

/**
 * A feature's part of the periodic digest: what the member has not read, in the groups they
 * get digests for, since each group's window start. Declared by the feature (it reads its own
 * tables, only in the member's groups); mail only renders it.
 */
export type DigestSource = (db: Tx, p: { userId: string; windows: Map<string, string>; at: string }) => Promise<DigestItem[]>;
