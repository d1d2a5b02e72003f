/**
 * Compression of pages and JSON by the application itself: Ruche may run with no proxy in
 * front, on a phone's connection a 120 KB discussion page becomes ~15 KB. The work runs on
 * libuv's thread pool (zlib's asynchronous API), so compressing a big page never blocks the
 * event loop that renders the others.
 */
import zlib from 'node:zlib';
import { promisify } from 'node:util';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Smaller bodies are not worth a round on the thread pool. */
export const MIN_COMPRESS_BYTES = 1024;

/** Whether an `Accept-Encoding` header accepts each encoding (`q=0` refuses; `*` stands for the others). */
function acceptsOf(acceptEncoding: string | null): (name: string) => boolean {
  if (!acceptEncoding) return () => false;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  return (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
}

/** The encoding to use for an `Accept-Encoding` header: br first, then gzip, else none. */
export function pickEncoding(acceptEncoding: string | null): 'br' | 'gzip' | null {
  const ok = acceptsOf(acceptEncoding);
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

/** Whether an `Accept-Encoding` header accepts gzip (for pages the page cache keeps compressed). */
export const acceptsGzip = (acceptEncoding: string | null): boolean => acceptsOf(acceptEncoding)('gzip');

/**
 * `response`, compressed for `request` when that helps: a complete HTML page or JSON answer
 * (one of known length: streamed pages are left alone), at least
 * `MIN_COMPRESS_BYTES`, status 200, to a client that accepts br or gzip.
 * `Vary: Accept-Encoding` tells caches the answer depends on it. An ETag is kept as is:
 * SvelteKit compares it, after this hook, with the client's `If-None-Match` (stripped of
 * `W/`), so a weak one would never give a 304.
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
  if (request.method !== 'GET' || response.status !== 200 || !response.body || response.headers.has('content-encoding')) return response;
  const type = response.headers.get('content-type') ?? '';
  const complete = (type.startsWith('text/html') || type.startsWith('application/json')) && response.headers.has('content-length');
  if (!complete) return response;
  const encoding = pickEncoding(request.headers.get('accept-encoding'));
  const length = Number(response.headers.get('content-length') ?? Infinity);
  if (!encoding || length < MIN_COMPRESS_BYTES) return response;
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.append('vary', 'Accept-Encoding');
  if (body.byteLength < MIN_COMPRESS_BYTES) {
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  }
  const compressed =
    encoding === 'br'
      ? await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength } })
      : await gzip(body, { level: 6 });
  headers.set('content-encoding', encoding);
  headers.set('content-length', String(compressed.byteLength));
  return new Response(new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength), { status: response.status, statusText: response.statusText, headers });
}
