import { uuidv7 } from 'uuidv7';
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';

/** Branded ids: sortable (UUIDv7) and unguessable, never a bare string across modules. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
export type UserId = Brand<string, 'UserId'>;
export type GroupId = Brand<string, 'GroupId'>;
export type DiscussionId = Brand<string, 'DiscussionId'>;
export type CommentId = Brand<string, 'CommentId'>;
export type FileId = Brand<string, 'FileId'>;
export type InvitationId = Brand<string, 'InvitationId'>;

export const newId = <T extends string = string>(): T => uuidv7() as T;
export const isUuid = (s: unknown): s is string =>
  typeof s === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A random secret for links and cookies (base64url, 32 bytes). */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
/** Secrets are stored hashed: a leaked database does not leak live sessions or links. */
export const hashSecret = (s: string) => createHash('sha256').update(s).digest('base64url');
export const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** A UUID as at most 25 base-36 characters (case-insensitive: safe in mail addresses, links and cookie names). */
export function uuidToShort(id: string): string {
  return BigInt('0x' + id.replace(/-/g, '')).toString(36);
}
/** The UUID of a short form, or null when it is not one. */
export function shortToUuid(s: string): string | null {
  if (!/^[0-9a-z]{1,25}$/.test(s)) return null;
  let n = 0n;
  for (const ch of s) n = n * 36n + BigInt(parseInt(ch, 36));
  if (n >= 1n << 128n) return null;
  const h = n.toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
