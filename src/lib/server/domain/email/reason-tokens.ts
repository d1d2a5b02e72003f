import { createHmac, timingSafeEqual } from 'node:crypto';
import { REASONS, type Reason } from '../notifications';
import { shortToUuid, uuidToShort } from './tokens';

/**
 * One-click unsubscribe from one reason ("no more mail when I am mentioned"), for mails
 * that reach a member whatever their groups' mail levels: `<user>.r<reason>.<signature>`.
 */
const mac = (secret: Buffer, body: string) => createHmac('sha256', secret).update(`unsub-reason:${body}`).digest().subarray(0, 16).toString('base64url');

export function reasonUnsubscribeToken(secret: Buffer, s: { userId: string; reason: Reason }): string {
  const body = `${uuidToShort(s.userId)}.r${REASONS.indexOf(s.reason)}`;
  return `${body}.${mac(secret, body)}`;
}

export function verifyReasonUnsubscribeToken(secret: Buffer, token: string): { userId: string; reason: Reason } | null {
  const m = /^([0-9a-z]{1,25})\.r(\d{1,2})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const body = `${m[1]}.r${m[2]}`;
  const want = mac(secret, body);
  if (want.length !== m[3].length || !timingSafeEqual(Buffer.from(want), Buffer.from(m[3]))) return null;
  const userId = shortToUuid(m[1]);
  const reason = REASONS[Number(m[2])];
  return userId && reason ? { userId, reason } : null;
}
