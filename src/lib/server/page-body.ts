/**
 * A rendered page's HTML, taken out of SvelteKit's response and encoded once by the hooks.
 *
 * SvelteKit hashes every non-streamed page (a djb2 loop over each character, in JavaScript) to
 * set an ETag, then encodes it to UTF-8. Every dynamic page carries a fresh CSP nonce, so that
 * ETag can never match an `If-None-Match`: on a 130 KB discussion page the hash alone was about
 * a seventh of the server's busy time. SvelteKit has no switch for it, so `transformPageChunk`
 * keeps the page aside (returning an empty string, whose hash costs nothing) and the hooks put
 * it back here: the `%lang%` of app.html is replaced in the encoded bytes (the first touch of
 * the string, which flattens the rope of the whole page, happens once, in the encoding),
 * without an ETag, with its exact length (which also tells the compression step the page is
 * complete).
 */

/** Pages kept aside by `transformPageChunk`, by request, until the hooks put them back. */
const kept = new WeakMap<object, string>();

/** For `transformPageChunk`: keeps the whole page for `key` (the request event) and returns what SvelteKit should hash and encode instead. */
export function keepPage(key: object, html: string): string {
  kept.set(key, html);
  return '';
}

const LANG = Buffer.from('%lang%');

/** The bytes of the complete (not streamed) pages restorePage answered, by response. */
const whole = new WeakMap<Response, Buffer>();

/** The whole body of a complete page answered by `restorePage` (for the page cache), else null. */
export const pageBytes = (response: Response): Buffer | null => whole.get(response) ?? null;

/** The page's UTF-8 bytes with the first `%lang%` (in app.html's `<html>` tag) replaced by `locale`. */
export function encodePage(html: string, locale: string): Buffer {
  const bytes = Buffer.from(html, 'utf8');
  // app.html puts it in the first line; looking further would scan the whole page when absent.
  const at = bytes.subarray(0, 256).indexOf(LANG);
  return at < 0 ? bytes : Buffer.concat([bytes.subarray(0, at), Buffer.from(locale), bytes.subarray(at + LANG.length)]);
}

/**
 * `response` with the page kept for `key` put back as its body, encoded once, without the
 * ETag; a streamed page (promises in its data) gets it in front of the chunks that follow.
 * Answers not rendered through `keepPage` are returned as they are.
 */
export function restorePage(key: object, response: Response, locale: string): Response {
  const html = kept.get(key);
  if (html === undefined) return response;
  kept.delete(key);
  const bytes = encodePage(html, locale);
  const headers = new Headers(response.headers);
  headers.delete('etag');
  const init = { status: response.status, statusText: response.statusText, headers };
  if (headers.has('content-length')) {
    // What SvelteKit encoded is the empty string: nothing to read or cancel.
    headers.set('content-length', String(bytes.byteLength));
    const complete = new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength), init);
    whole.set(complete, bytes);
    return complete;
  }
  const rest = response.body;
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength));
      if (rest) for await (const chunk of rest as unknown as AsyncIterable<Uint8Array>) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body, init);
}
