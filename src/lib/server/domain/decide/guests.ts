import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The shared link of a date poll for people without an account: `<poll>.<version>.<sig>`,
 * signed with the server secret. Bumping the poll's `guest_version` revokes every link
 * given before. A guest who answered keeps a secret (in a cookie of their browser, or in the
 * link mailed to them) to change their answer; only its hash is stored.
 */
const short = (uuid: string) => BigInt('0x' + uuid.replace(/-/g, '')).toString(36);
function long(s: string): string | null {
  if (!/^[0-9a-z]{1,25}$/.test(s)) return null;
  let n = 0n;
  for (const ch of s) n = n * 36n + BigInt(parseInt(ch, 36));
  if (n >= 1n << 128n) return null;
  const h = n.toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const sig = (secret: Buffer, body: string) => createHmac('sha256', secret).update(`guest-poll:${body}`).digest().subarray(0, 16).toString('base64url');

export function guestToken(secret: Buffer, pollId: string, version: number): string {
  const body = `${short(pollId)}.${version.toString(36)}`;
  return `${body}.${sig(secret, body)}`;
}

/** The poll and version a guest link names, when its signature holds (the version is checked against the poll). */
export function readGuestToken(secret: Buffer, token: string): { pollId: string; version: number } | null {
  const m = /^([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const body = `${m[1]}.${m[2]}`;
  if (!timingSafeEqual(Buffer.from(sig(secret, body)), Buffer.from(m[3]))) return null;
  const pollId = long(m[1]);
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
export const guestCookie = (pollId: string) => `ruche_guest_${short(pollId)}`;
