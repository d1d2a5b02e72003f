import { createHmac, timingSafeEqual } from 'node:crypto';
import { newSecret } from '../../kernel/ids';

/**
 * "Known devices": after a successful login, the browser keeps a signed, HTTP-only cookie
 * naming the account (one entry per account, a few accounts per browser). On the next
 * login to that account the cookie proves the device logged in before, so the per-account
 * and per-source throttles do not apply to it, and its failures are throttled on their own
 * (an attacker sharing the owner's address does not slow the owner down). It grants no
 * access by itself: the password is still checked.
 */
export const DEVICE_COOKIE = 'ruche_device';
export const DEVICE_DAYS = 365;
const MAX_ENTRIES = 5;
const SEP = '~';

type Entry = { userId: string; issued: number; nonce: string; sig: string };

const sign = (key: Buffer, userId: string, issued: number, nonce: string) =>
  createHmac('sha256', key).update(`device.${userId}.${issued}.${nonce}`).digest('base64url').slice(0, 32);

function parse(value: string | null | undefined): Entry[] {
  if (!value || value.length > 1000) return [];
  const out: Entry[] = [];
  for (const part of value.split(SEP).slice(0, MAX_ENTRIES)) {
    const [userId, issued36, nonce, sig] = part.split('.');
    const issued = parseInt(issued36 ?? '', 36);
    if (!userId || !nonce || !sig || !Number.isFinite(issued)) continue;
    out.push({ userId, issued, nonce, sig });
  }
  return out;
}

const valid = (key: Buffer, e: Entry, now: Date) => {
  if (now.getTime() - e.issued > DEVICE_DAYS * 86_400_000 || e.issued > now.getTime() + 60_000) return false;
  const want = sign(key, e.userId, e.issued, e.nonce);
  return want.length === e.sig.length && timingSafeEqual(Buffer.from(want), Buffer.from(e.sig));
};

/** The device's id for this account when the cookie holds a valid entry for it; null otherwise. */
export function knownDevice(key: Buffer, cookie: string | null | undefined, userId: string, now: Date): string | null {
  const e = parse(cookie).find((x) => x.userId === userId);
  return e && valid(key, e, now) ? e.nonce : null;
}

/** The cookie value after a successful login to `userId`: its entry renewed, others kept (valid ones, newest first). */
export function rememberDevice(key: Buffer, cookie: string | null | undefined, userId: string, now: Date): string {
  const entries = parse(cookie).filter((e) => valid(key, e, now));
  const mine = entries.find((e) => e.userId === userId);
  const issued = now.getTime();
  const nonce = mine?.nonce ?? newSecret(12);
  const fresh: Entry = { userId, issued, nonce, sig: sign(key, userId, issued, nonce) };
  return [fresh, ...entries.filter((e) => e.userId !== userId)]
    .slice(0, MAX_ENTRIES)
    .map((e) => `${e.userId}.${e.issued.toString(36)}.${e.nonce}.${e.sig}`)
    .join(SEP);
}
