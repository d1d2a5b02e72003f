import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { compressResponse, pickEncoding } from './compress';

const page = '<!doctype html><html lang="fr"><body>' + '<p>Réponse n° 1 · bonjour à toutes et à tous</p>'.repeat(400) + '</body></html>';
// A complete page says its length (SvelteKit's own answers and the hooks' re-encoded pages do).
const htmlResponse = (body = page, headers: Record<string, string> = {}) =>
  new Response(body, { status: 200, headers: { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(body)), etag: '"abc"', 'x-frame-options': 'DENY', ...headers } });
const get = (acceptEncoding?: string, method = 'GET') => new Request('http://localhost/d/1', { method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('pickEncoding', () => {
  it('prefers br, then gzip, and honours q=0', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding(null)).toBeNull();
  });
});

describe('compressResponse', () => {
  it('sends a full page in brotli to a browser that accepts it, same content and headers', async () => {
    const res = await compressResponse(get('gzip, deflate, br'), htmlResponse());
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('etag')).toBe('"abc"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(bytes.byteLength).toBeLessThan(Buffer.byteLength(page) / 5);
    expect(zlib.brotliDecompressSync(bytes).toString()).toBe(page);
  });

  it('uses gzip when brotli is not accepted', async () => {
    const res = await compressResponse(get('gzip'), htmlResponse());
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(zlib.gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(page);
  });

  it('leaves alone what must not or need not be compressed', async () => {
    const untouched = async (req: Request, res: Response) => expect(await compressResponse(req, res)).toBe(res);
    await untouched(get(), htmlResponse());
    await untouched(get('br', 'HEAD'), htmlResponse());
    await untouched(get('br'), new Response(page, { status: 404, headers: { 'content-type': 'text/html', etag: '"x"' } }));
    // A streamed page (no length) would be held back until its end.
    await untouched(get('br'), new Response(page, { headers: { 'content-type': 'text/html' } }));
    await untouched(get('br'), new Response('data: x\n\n', { headers: { 'content-type': 'text/event-stream' } }));
    await untouched(get('br'), htmlResponse(page, { 'content-encoding': 'gzip' }));
    await untouched(get('br'), new Response('{"a":1}', { headers: { 'content-type': 'application/json', 'content-length': '7' } }));
  });

  it('sends a small page as it is (it never varies with Accept-Encoding)', async () => {
    const small = htmlResponse('<p>short</p>');
    const res = await compressResponse(get('br'), small);
    expect(res).toBe(small);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('<p>short</p>');
  });
});
