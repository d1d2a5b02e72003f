import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { shortToUuid, uuidToShort } from '../../kernel/ids';

/** The server's HMAC secret (kernel/secret.ts): signs reply addresses, links and return paths. */
export { serverSecret as mailSecret } from '../../kernel/secret';

const mac = (secret: Buffer, data: string) => createHmac('sha256', secret).update(data).digest();
const eq = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Short forms of UUIDs in addresses (kernel/ids.ts). */
export { shortToUuid, uuidToShort };

const DAY = 86_400_000;
/** Reply addresses are accepted for this long after the notification was sent. */
export const REPLY_TOKEN_DAYS = 180;
const SIG_LEN = 6;
const sig36 = (secret: Buffer, data: string, len: number) => BigInt('0x' + mac(secret, data).subarray(0, 8).toString('hex')).toString(36).padStart(13, '0').slice(0, len);

/** What answering a notification mail posts into. */
export type ReplyKind = 'discussion' | 'task';
/** Prefixes of reply kinds in the address; a discussion's addresses have none (the first form, still valid). */
const REPLY_PREFIX: Record<ReplyKind, string> = { discussion: '', task: 't-' };

/**
 * `r+<discussion>.<user>.<day>.<sig>` (a reply in a discussion) or `r+t-<task>.<user>.<day>.<sig>`
 * (a comment on a task): unique to one recipient and one thing, dated (day number, base 36)
 * so old addresses expire, signed (over the kind too) so none can be made up or turned into
 * another kind. At most 64 characters, the limit of a mail address's local part.
 */
export function replyLocalPart(secret: Buffer, targetId: string, userId: string, now: Date, kind: ReplyKind = 'discussion'): string {
  const d = `${REPLY_PREFIX[kind]}${uuidToShort(targetId)}`;
  const u = uuidToShort(userId);
  const day = Math.floor(now.getTime() / DAY).toString(36);
  return `r+${d}.${u}.${day}.${sig36(secret, `reply:${d}.${u}.${day}`, SIG_LEN)}`;
}

export type ReplyToken = { ok: true; kind: ReplyKind; targetId: string; userId: string; /** The discussion, for replies to a discussion. */ discussionId: string } | { ok: false; reason: 'forged' | 'expired' };
export function verifyReplyLocalPart(secret: Buffer, local: string, now: Date): ReplyToken | null {
  const m = /^r\+((?:t-)?[0-9a-z]{1,25})\.([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([0-9a-z]+)$/.exec(local.toLowerCase());
  if (!m) return null;
  const [, d, u, day, sig] = m;
  if (!eq(sig, sig36(secret, `reply:${d}.${u}.${day}`, SIG_LEN))) return { ok: false, reason: 'forged' };
  if (now.getTime() - parseInt(day, 36) * DAY > REPLY_TOKEN_DAYS * DAY) return { ok: false, reason: 'expired' };
  const kind: ReplyKind = d.startsWith(REPLY_PREFIX.task) ? 'task' : 'discussion';
  const targetId = shortToUuid(kind === 'task' ? d.slice(REPLY_PREFIX.task.length) : d);
  const userId = shortToUuid(u);
  if (!targetId || !userId) return { ok: false, reason: 'forged' };
  return { ok: true, kind, targetId, userId, discussionId: kind === 'discussion' ? targetId : '' };
}

/** One-click actions in mail are signed with the same secret (kernel/action-links.ts). */
export { signActionLink, verifyActionLink } from '../../kernel/action-links';
/**
 * `e+<event>.<user>.<day>.<sig>`: the reply address of an invitation to an event, for one
 * recipient. A reply saying "yes", "oui" or "ja" (or no, maybe) answers the invitation.
 */
export function rsvpLocalPart(secret: Buffer, eventId: string, userId: string, now: Date): string {
  const e = uuidToShort(eventId);
  const u = uuidToShort(userId);
  const day = Math.floor(now.getTime() / DAY).toString(36);
  return `e+${e}.${u}.${day}.${sig36(secret, `rsvp:${e}.${u}.${day}`, SIG_LEN)}`;
}

export type RsvpToken = { ok: true; eventId: string; userId: string } | { ok: false; reason: 'forged' | 'expired' };
export function verifyRsvpLocalPart(secret: Buffer, local: string, now: Date): RsvpToken | null {
  const m = /^e\+([0-9a-z]{1,25})\.([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([0-9a-z]+)$/.exec(local.toLowerCase());
  if (!m) return null;
  const [, e, u, day, sig] = m;
  if (!eq(sig, sig36(secret, `rsvp:${e}.${u}.${day}`, SIG_LEN))) return { ok: false, reason: 'forged' };
  if (now.getTime() - parseInt(day, 36) * DAY > REPLY_TOKEN_DAYS * DAY) return { ok: false, reason: 'expired' };
  const eventId = shortToUuid(e);
  const userId = shortToUuid(u);
  if (!eventId || !userId) return { ok: false, reason: 'forged' };
  return { ok: true, eventId, userId };
}

/** One-click unsubscribe token: who, and which group (or all mail when groupId is null). */
export type UnsubscribeScope = { userId: string; groupId: string | null };
export function unsubscribeToken(secret: Buffer, s: UnsubscribeScope): string {
  const body = `${uuidToShort(s.userId)}.${s.groupId ? uuidToShort(s.groupId) : '0'}`;
  return `${body}.${mac(secret, `unsub:${body}`).subarray(0, 16).toString('base64url')}`;
}
export function verifyUnsubscribeToken(secret: Buffer, token: string): UnsubscribeScope | null {
  const m = /^([0-9a-z]{1,25})\.([0-9a-z]{1,25})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const body = `${m[1]}.${m[2]}`;
  if (!eq(m[3], mac(secret, `unsub:${body}`).subarray(0, 16).toString('base64url'))) return null;
  const userId = shortToUuid(m[1]);
  const groupId = m[2] === '0' ? null : shortToUuid(m[2]);
  if (!userId || (m[2] !== '0' && !groupId)) return null;
  return { userId, groupId };
}

/** Delivery reports to a return path are believed for this long after the mail left. */
export const BOUNCE_TOKEN_DAYS = 30;
const BOUNCE_SIG_LEN = 10;
/** Four characters that tell one mail's return path from another's (not a secret: the signature is). */
const nonce36 = (s: string) => BigInt('0x' + createHash('sha256').update(s).digest().subarray(0, 4).toString('hex')).toString(36).padStart(7, '0').slice(0, 4);

/**
 * The return path (envelope MAIL FROM) of one outgoing mail, VERP style:
 * `bounce+<user>.<day>.<nonce>.<sig>`. The signature covers the recipient's address, so a
 * delivery report to it proves that this address failed to take a mail we really sent;
 * reports to any other address prove nothing. `userId` is null for people without an
 * account (invitations). At most 64 characters, the limit of a local part.
 */
export function bounceLocalPart(secret: Buffer, userId: string | null, address: string, messageId: string, now: Date): string {
  const u = userId ? uuidToShort(userId) : '0';
  const day = Math.floor(now.getTime() / DAY).toString(36);
  const n = nonce36(`${messageId}|${address.toLowerCase()}`);
  return `bounce+${u}.${day}.${n}.${sig36(secret, `bounce:${u}.${day}.${n}.${address.toLowerCase()}`, BOUNCE_SIG_LEN)}`;
}

/** The parts of a return path, before its signature is checked against a member's address. */
export type BounceToken = { userId: string | null; check(address: string): boolean; expired: boolean };
export function parseBounceLocalPart(secret: Buffer, local: string, now: Date): BounceToken | null {
  const m = /^bounce\+([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([0-9a-z]{4})\.([0-9a-z]{1,13})$/.exec(local.toLowerCase());
  if (!m) return null;
  const [, u, day, n, sig] = m;
  const userId = u === '0' ? null : shortToUuid(u);
  if (u !== '0' && !userId) return null;
  return {
    userId,
    check: (address) => eq(sig, sig36(secret, `bounce:${u}.${day}.${n}.${address.toLowerCase()}`, BOUNCE_SIG_LEN)),
    expired: now.getTime() - parseInt(day, 36) * DAY > BOUNCE_TOKEN_DAYS * DAY,
  };
}

/** An address-confirmation link is valid this long. */
export const ADDRESS_LINK_HOURS = 72;
/**
 * "Confirm my address" link: `<user>.<issued>.<sig>`, signed over the address it was sent
 * to, so it cannot be made up and stops working if the member changes their address.
 */
export function addressToken(secret: Buffer, userId: string, address: string, issued: Date): string {
  const body = `${uuidToShort(userId)}.${Math.floor(issued.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(secret, `address:${body}.${address.toLowerCase()}`).subarray(0, 16).toString('base64url')}`;
}
export type AddressToken = { userId: string; issued: Date; check(address: string): boolean };
export function parseAddressToken(secret: Buffer, token: string): AddressToken | null {
  const m = /^([0-9a-z]{1,25})\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const userId = shortToUuid(m[1]);
  if (!userId) return null;
  const body = `${m[1]}.${m[2]}`;
  return { userId, issued: new Date(parseInt(m[2], 36) * 1000), check: (address) => eq(m[3], mac(secret, `address:${body}.${address.toLowerCase()}`).subarray(0, 16).toString('base64url')) };
}

/** "Did you send this?" link: the held mail's id, signed (single use and expiry are in its row). */
export function pendingToken(secret: Buffer, id: string): string {
  const s = uuidToShort(id);
  return `${s}.${mac(secret, `pending:${s}`).subarray(0, 16).toString('base64url')}`;
}
export function verifyPendingToken(secret: Buffer, token: string): string | null {
  const m = /^([0-9a-z]{1,25})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m || !eq(m[2], mac(secret, `pending:${m[1]}`).subarray(0, 16).toString('base64url'))) return null;
  return shortToUuid(m[1]);
}
