import { createHmac, timingSafeEqual } from 'node:crypto';
import { shortToUuid, uuidToShort } from '../../kernel/ids';

/**
 * The shared link of a date poll for people without an account: `<poll>.<version>.<sig>`,
 * signed with the server secret. Bumping the poll's `guest_version` revokes every link
 * given before. A guest who answered keeps a secret (in a cookie of their browser, or in the
 * link mailed to them) to change their answer; only its hash is stored.
 */
const sig = (secret: Buffer, body: string) => createHmac('sha256', secret).update(`guest-poll:${body}`).digest().subarray(0, 16).toString('base64url');

export function guestToken(secret: Buffer, pollId: string, version: number): string {
  const body = `${uuidToShort(pollId)}.${version.toString(36)}`;
  return `${body}.${sig(secret, body)}`;
}

/** The poll and version a guest link names, when its signature holds (the version is checked against the poll). */
export function readGuestToken(secret: Buffer, token: string): { pollId: string; version: number } | null {
  const m = /^([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const body = `${m[1]}.${m[2]}`;
  if (!timingSafeEqual(Buffer.from(sig(secret, body)), Buffer.from(m[3]))) return null;
  const pollId = shortToUuid(m[1]);
  return pollId ? { pollId, version: parseInt(m[2], 36) } : null;
}

/** A guest's name as compared within a poll: "Émile " and "emile" are the same person. */
export const guestKey = (name: string) =>
  name
    .trim()
    .toLocaleLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/\s+/g, ' ');

/** The cookie that keeps a guest's secret for one poll, in their browser. */
export const guestCookie = (pollId: string) => `ruche_guest_${uuidToShort(pollId)}`;
