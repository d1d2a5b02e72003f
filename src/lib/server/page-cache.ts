/**
 * Pages kept as rendered, for the reader who asked, until anything in the database changes.
 *
 * Rendering a page with SvelteKit costs 2–6 ms of the server's one thread (a discussion with
 * 50 replies ~5 ms); sending the same bytes again costs a tenth of that. Most views of a page
 * find it as the last view left it: a member going back to a discussion, a refresh, a
 * visitor on a public page. This cache serves those views from the bytes of the last render.
 *
 * When a kept page is still right, without knowing what the page read:
 * - **The database has not changed since it was rendered.** SQLite tells, for one connection,
 *   how many rows its statements have changed since it opened (`total_changes()`) and whether
 *   another connection (the CLI, a backup, another process) has committed since
 *   (`PRAGMA data_version`). Together they are the database's *generation*: read before a
 *   render and compared when the page is stored (a write during the render: not stored) and
 *   at every hit. Any change at all drops every kept page: no page can show something older
 *   than the database, whatever it read and however it read it; only writes of a table no page
 *   shows do not count (the job queue: `UNSEEN_TABLES` in db/connect.ts). A page view that
 *   writes, such as the first view of unread replies, is not kept; the next one is.
 * - **The same reader**: the key is the request's whole address, its cookies (the session,
 *   the language) and its `Accept-Language`; the member the session names is checked again.
 * - **Recent**: at most `maxAgeMs` old, for what changes with time alone ("5 min ago", "due
 *   today"; the page's own clock refreshes those once it runs).
 * - **Values that must differ in each view** are replaced in each copy served: the CSP nonce
 *   of the page's scripts, and the form keys that make a double submission harmless (two tabs
 *   on the same kept page must not send the same key for two different replies). Routes create
 *   form keys with `formKey(event)`, which records them for this.
 *
 * A copy for a client that takes gzip is compressed without compressing the page again: see
 * `Entry.gzip`.
 *
 * With PostgreSQL, every process announces its writes at their commit and listens to the
 * others' (`DbHandle.generation`, db/connect.ts): another process's write reaches this one's
 * kept pages a fraction of a millisecond after its commit; while the listening connection is
 * down, no page is kept.
 */
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { promisify } from 'node:util';

const deflateRaw = promisify(zlib.deflateRaw);

/** How a per-view value is made: SvelteKit's nonce (16 bytes, base64) or a form key (16 bytes, base64url). */
type ViewTokenKind = 'base64' | 'base64url';
export type ViewToken = { value: string; kind: ViewTokenKind };

/** A kept page, cut at its per-view values. */
type Entry = {
  userId: string | null;
  storedAt: number;
  status: number;
  headers: [string, string][];
  /** The page's bytes between per-view values: `parts[0] tokens[slots[0]] parts[1] …`. */
  parts: Buffer[];
  slots: number[];
  tokens: ViewToken[];
  size: number;
  /**
   * `parts` compressed one by one (raw deflate, each but the last ending on a full flush, so
   * that none refers to another): a gzip copy is these with the new values between them as
   * stored blocks. Made on the thread pool the first time a client that takes gzip reads the
   * page again; until then such copies are compressed whole, like any page.
   */
  gzip?: Buffer[] | 'pending';
};

const fresh = (kind: ViewTokenKind) => randomBytes(16).toString(kind);

const NONCE = /'nonce-([A-Za-z0-9+/]{22}==)'/;

export function createPageCache(opts: { generation: () => string; maxBytes: number; maxAgeMs: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  // Read at the first request (PostgreSQL starts listening then).
  let generation = '';
  const stats = { hits: 0, misses: 0, stored: 0 };

  function drop(key: string, e: Entry) {
    entries.delete(key);
    bytes -= e.size;
  }

  /** The database's generation now; a new one drops every kept page. */
  function current(): string {
    const g = opts.generation();
    if (g !== generation) {
      generation = g;
      entries.clear();
      bytes = 0;
    }
    return g;
  }

  return {
    /** To read before rendering, and to give back to `put`. */
    generation: current,

    /**
     * The kept page for `key` as a new response with fresh per-view values, or null. `userId`
     * is the member the request's session names now (null for a visitor); `gzip`: the client
     * takes gzip (the copy comes compressed once the page's parts are).
     */
    get(key: string, userId: string | null, want: { gzip?: boolean } = {}): Response | null {
      current();
      const e = entries.get(key);
      if (!e || e.userId !== userId || now() - e.storedAt > opts.maxAgeMs) {
        if (e) drop(key, e);
        stats.misses++;
        return null;
      }
      // Most recently used last: the first entries are the ones to evict.
      entries.delete(key);
      entries.set(key, e);
      stats.hits++;
      const values = e.tokens.map((t) => fresh(t.kind));
      const headers = new Headers();
      for (const [name, value] of e.headers) headers.append(name, name === 'content-security-policy' ? replaceTokens(value, e.tokens, values) : value);
      const gzipped = want.gzip ? gzipCopy(e, values) : null;
      if (want.gzip && !e.gzip)
        compressParts(e, (n) => {
          // Counted only while the page is still kept (not dropped or replaced meanwhile).
          if (entries.get(key) !== e) return;
          e.size += n;
          bytes += n;
        });
      if (gzipped) {
        headers.append('vary', 'Accept-Encoding');
        headers.set('content-encoding', 'gzip');
      }
      const body = gzipped ?? Buffer.concat(e.parts.flatMap((part, i) => (i < e.slots.length ? [part, Buffer.from(values[e.slots[i]])] : [part])));
      headers.set('content-length', String(body.byteLength));
      return new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength), { status: e.status, headers });
    },

    /**
     * Keeps a rendered page (status 200, complete `body`) for `key`, unless the database
     * changed since `renderedAt` (the generation read before the render) or the answer sets a
     * cookie. `formKeys` are the form keys the render made. Returns whether it was kept.
     */
    put(key: string, userId: string | null, renderedAt: string, response: Response, body: Buffer, formKeys: readonly string[]): boolean {
      if (current() !== renderedAt || response.status !== 200 || response.headers.has('set-cookie') || body.byteLength > opts.maxBytes / 4) return false;
      const headers: [string, string][] = [];
      for (const [name, value] of response.headers) if (name !== 'content-length' && name !== 'etag') headers.push([name, value]);
      const nonce = NONCE.exec(response.headers.get('content-security-policy') ?? '')?.[1];
      const tokens: ViewToken[] = [...(nonce ? [{ value: nonce, kind: 'base64' as const }] : []), ...formKeys.map((value) => ({ value, kind: 'base64url' as const }))];
      const { parts, slots } = cut(body, tokens);
      const old = entries.get(key);
      if (old) drop(key, old);
      const e: Entry = { userId, storedAt: now(), status: response.status, headers, parts, slots, tokens, size: body.byteLength + key.length * 2 + 512 };
      entries.set(key, e);
      bytes += e.size;
      for (const [k, victim] of entries) {
        if (bytes <= opts.maxBytes) break;
        drop(k, victim);
      }
      stats.stored++;
      return true;
    },

    /** Views served from kept pages and not, pages kept, and what is kept now. */
    stats() {
      return { ...stats, entries: entries.size, bytes };
    },
  };
}

/** `body` cut at every occurrence of the tokens' values (`slots[i]`: which token follows `parts[i]`). */
export function cut(body: Buffer, tokens: readonly ViewToken[]): { parts: Buffer[]; slots: number[] } {
  const at: { offset: number; length: number; slot: number }[] = [];
  tokens.forEach((t, slot) => {
    const needle = Buffer.from(t.value);
    for (let i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + needle.length)) at.push({ offset: i, length: needle.length, slot });
  });
  at.sort((a, b) => a.offset - b.offset);
  const parts: Buffer[] = [];
  const slots: number[] = [];
  let from = 0;
  for (const o of at) {
    if (o.offset < from) continue;
    parts.push(body.subarray(from, o.offset));
    slots.push(o.slot);
    from = o.offset + o.length;
  }
  parts.push(body.subarray(from));
  // Copies: the kept page must not hold on to a larger buffer it was cut from.
  return { parts: parts.map((p) => Buffer.from(p)), slots };
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);

/** Compresses a kept page's parts on the thread pool (once); `done` gets their size. */
function compressParts(e: Entry, done: (bytes: number) => void) {
  e.gzip = 'pending';
  const last = e.parts.length - 1;
  Promise.all(e.parts.map((part, i) => deflateRaw(part, { level: 9, finishFlush: i === last ? zlib.constants.Z_FINISH : zlib.constants.Z_FULL_FLUSH })))
    .then((parts) => {
      e.gzip = parts;
      done(parts.reduce((n, p) => n + p.byteLength, 0));
    })
    .catch(() => (e.gzip = undefined));
}

/**
 * A gzip member of the page with `values` in place of its tokens, from its compressed parts
 * (null until they are ready): each value is a stored block, then the CRC-32 and length of
 * the whole.
 */
function gzipCopy(e: Entry, values: string[]): Buffer | null {
  if (!Array.isArray(e.gzip)) return null;
  const chunks: Buffer[] = [GZIP_HEADER, e.gzip[0]];
  let crc = zlib.crc32(e.parts[0]);
  let length = e.parts[0].byteLength;
  for (let i = 0; i < e.slots.length; i++) {
    const value = Buffer.from(values[e.slots[i]]);
    const stored = Buffer.alloc(5);
    stored.writeUInt16LE(value.byteLength, 1);
    stored.writeUInt16LE(~value.byteLength & 0xffff, 3);
    chunks.push(stored, value, e.gzip[i + 1]);
    crc = zlib.crc32(e.parts[i + 1], zlib.crc32(value, crc));
    length += value.byteLength + e.parts[i + 1].byteLength;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length >>> 0, 4);
  chunks.push(trailer);
  return Buffer.concat(chunks);
}

function replaceTokens(text: string, tokens: readonly ViewToken[], values: readonly string[]): string {
  tokens.forEach((t, i) => (text = text.split(t.value).join(values[i])));
  return text;
}
