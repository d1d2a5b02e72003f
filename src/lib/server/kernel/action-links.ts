import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { shortToUuid, uuidToShort } from './ids';

/*
 * Two kinds of signed links that members follow from mail without logging in.
 */

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

/**
 * Reusable links ("Vote", "I'm coming", "Answer the date poll"): the path of a page
 * of the app, signed for one member with the server secret (kernel/secret.ts), so a member
 * who only reads mail takes part without logging in. The mail channel signs each action of a
 * notice for its recipient; the feature that serves the path checks the token. The page a
 * link opens only shows what will happen (mail scanners follow links); its button acts.
 *
 * Token: `<user>.<day>.<signature>`: the member (a UUID in base 36), the day it was issued
 * (days since 1970, base 36) and an HMAC over the path, the member and the day.
 */
export const PATH_LINK_DAYS = 60;

const pathSig = (secret: Buffer, path: string, user: string, day: string) => createHmac('sha256', secret).update(`action-path:${path}|${user}|${day}`).digest().subarray(0, 16).toString('base64url');

/** The token of `path` (no query) for one member, issued at `at`. */
export function signActionPath(secret: Buffer, path: string, userId: string, at: Date): string {
  const user = uuidToShort(userId);
  const day = Math.floor(at.getTime() / DAY).toString(36);
  return `${user}.${day}.${pathSig(secret, path, user, day)}`;
}

/** A path with its query and the member's token appended (`?t=` or `&t=`). */
export function signedActionUrl(secret: Buffer, url: string, userId: string, at: Date): string {
  const path = url.split('?')[0];
  return `${url}${url.includes('?') ? '&' : '?'}t=${signActionPath(secret, path, userId, at)}`;
}

/** The member a token names for `path`, while it is valid; null when forged, for another path or expired. */
export function verifyActionPath(secret: Buffer, path: string, token: string, now: Date): string | null {
  const m = /^([0-9a-z]{1,25})\.([0-9a-z]{1,6})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const want = pathSig(secret, path, m[1], m[2]);
  if (!timingSafeEqual(Buffer.from(want), Buffer.from(m[3]))) return null;
  if (now.getTime() - parseInt(m[2], 36) * DAY > PATH_LINK_DAYS * DAY) return null;
  return shortToUuid(m[1]);
}
