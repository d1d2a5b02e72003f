import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-click links in mail ("Mark as done", "I'll take it"): a token that names the member it
 * was sent to, the day it was issued and a nonce, signed (HMAC-SHA256 with the mail secret,
 * DATA_DIR/mail-secret) over those and the path it opens. The mail channel signs; the feature
 * behind the path verifies, and records the nonce when the link is used, so it works once.
 * Nobody can make one up, move it to another path or another member, or use it after
 * `ACTION_LINK_DAYS`.
 */
export const ACTION_LINK_DAYS = 30;
const DAY = 86_400_000;
const mac = (secret: Buffer, data: string) => createHmac('sha256', secret).update(data).digest().subarray(0, 16).toString('base64url');

/** The token for `path`, for the member `userId`, issued at `issued`. */
export function signActionLink(secret: Buffer, path: string, userId: string, issued: Date, nonce = randomBytes(12).toString('base64url')): string {
  const day = Math.floor(issued.getTime() / DAY).toString(36);
  return `${userId}.${day}.${nonce}.${mac(secret, `action:${path}|${userId}|${day}|${nonce}`)}`;
}

export type ActionLinkCheck = { ok: true; userId: string; nonce: string } | { ok: false; reason: 'forged' } | { ok: false; reason: 'expired'; userId: string; nonce: string };

/** Checks a token against the path it was opened on. */
export function verifyActionLink(secret: Buffer, path: string, token: unknown, now: Date): ActionLinkCheck {
  if (typeof token !== 'string' || token.length > 200) return { ok: false, reason: 'forged' };
  const m = /^([0-9a-f-]{36})\.([0-9a-z]{1,6})\.([A-Za-z0-9_-]{8,32})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return { ok: false, reason: 'forged' };
  const [, userId, day, nonce, sig] = m;
  const want = mac(secret, `action:${path}|${userId}|${day}|${nonce}`);
  if (!timingSafeEqual(Buffer.from(want), Buffer.from(sig))) return { ok: false, reason: 'forged' };
  if (now.getTime() - parseInt(day, 36) * DAY > ACTION_LINK_DAYS * DAY) return { ok: false, reason: 'expired', userId, nonce };
  return { ok: true, userId, nonce };
}
