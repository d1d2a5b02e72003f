import { describe, expect, it } from 'vitest';
import { createPageCache, cut } from './page-cache';

const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA==';
const KEY = 'kkkkkkkkkkkkkkkkkkkkkk';

function page(body: string, headers: Record<string, string> = {}) {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/html', 'content-security-policy': `script-src 'self' 'nonce-${NONCE}'`, ...headers } });
}

function world(opts: { maxBytes?: number } = {}) {
  let generation = 1;
  let time = 0;
  const cache = createPageCache({ generation: () => String(generation), maxBytes: opts.maxBytes ?? 1 << 20, maxAgeMs: 30_000, now: () => time });
  return {
    cache,
    write: () => generation++,
    wait: (ms: number) => (time += ms),
    keep(key: string, body: string, userId: string | null = 'u1', formKeys: string[] = [KEY], headers: Record<string, string> = {}) {
      const at = cache.generation();
      return cache.put(key, userId, at, page(body, headers), Buffer.from(body), formKeys);
    },
  };
}

const html = `<script nonce="${NONCE}">x</script><form><input name="key" value="${KEY}"><input name="k2" value="${KEY}-0"></form><script nonce="${NONCE}">y</script>`;

describe('page cache', () => {
  it('serves a kept page with new per-view values, the same in the body and the CSP header', async () => {
    const w = world();
    expect(w.keep('/d/1', html)).toBe(true);
    const a = w.cache.get('/d/1', 'u1')!;
    const b = w.cache.get('/d/1', 'u1')!;
    const [bodyA, bodyB] = [await a.text(), await b.text()];
    expect(bodyA).not.toContain(NONCE);
    expect(bodyA).not.toContain(KEY);
    expect(bodyA).not.toBe(bodyB);
    const nonce = /'nonce-([^']+)'/.exec(a.headers.get('content-security-policy')!)![1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    // Every occurrence of a value gets the same new one (a derived key keeps its suffix).
    expect(bodyA.split(`nonce="${nonce}"`)).toHaveLength(3);
    const key = /name="key" value="([^"]+)"/.exec(bodyA)![1];
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(bodyA).toContain(`value="${key}-0"`);
    expect(bodyA.replaceAll(nonce, NONCE).replaceAll(key, KEY)).toBe(html);
    expect(a.headers.get('content-length')).toBe(String(Buffer.byteLength(bodyA)));
    expect(w.cache.stats()).toMatchObject({ hits: 2, stored: 1 });
  });

  it('drops every kept page when the database changes, and does not keep a page rendered across a change', () => {
    const w = world();
    w.keep('/a', html);
    w.write();
    expect(w.cache.get('/a', 'u1')).toBeNull();
    expect(w.cache.stats().entries).toBe(0);
    const before = w.cache.generation();
    w.write(); // during the render
    expect(w.cache.put('/b', 'u1', before, page(html), Buffer.from(html), [])).toBe(false);
    expect(w.cache.get('/b', 'u1')).toBeNull();
  });

  it('serves a page only to the member it was rendered for, and only while it is recent', () => {
    const w = world();
    w.keep('/a', html, 'u1');
    expect(w.cache.get('/a', 'u2')).toBeNull();
    // The mismatch dropped it.
    expect(w.cache.get('/a', 'u1')).toBeNull();
    w.keep('/a', html, null);
    expect(w.cache.get('/a', 'u1')).toBeNull();
    w.keep('/v', html, null);
    w.wait(29_000);
    expect(w.cache.get('/v', null)).not.toBeNull();
    w.wait(2_000);
    expect(w.cache.get('/v', null)).toBeNull();
  });

  it('keeps no answer that sets a cookie or is not a 200', () => {
    const w = world();
    expect(w.keep('/c', html, 'u1', [], { 'set-cookie': 'a=b' })).toBe(false);
    const at = w.cache.generation();
    expect(w.cache.put('/n', 'u1', at, new Response('x', { status: 404 }), Buffer.from('x'), [])).toBe(false);
    expect(w.cache.get('/c', 'u1')).toBeNull();
  });

  it('evicts the least recently used pages past its memory', () => {
    const w = world({ maxBytes: 8 * 1024 });
    const big = 'x'.repeat(1500);
    for (const k of ['/1', '/2', '/3']) w.keep(k, big, 'u1', []);
    w.cache.get('/1', 'u1');
    w.keep('/4', big, 'u1', []);
    w.keep('/5', big, 'u1', []);
    expect(w.cache.stats().bytes).toBeLessThanOrEqual(8 * 1024);
    expect(w.cache.get('/1', 'u1')).not.toBeNull();
    expect(w.cache.get('/2', 'u1')).toBeNull();
  });
});

describe('cut', () => {
  it('cuts a body at each value, adjacent ones included', () => {
    const body = Buffer.from('aXXbYYYYXXc');
    const { parts, slots } = cut(body, [
      { value: 'XX', kind: 'base64url' },
      { value: 'YYYY', kind: 'base64url' },
    ]);
    expect(parts.map(String)).toEqual(['a', 'b', '', 'c']);
    expect(slots).toEqual([0, 1, 0]);
  });
});

describe('gzip copies', () => {
  it('are valid gzip of the page with its new values, once the parts are compressed', async () => {
    const { gunzipSync } = await import('node:zlib');
    const w = world();
    const big = html + '<p>' + 'Bonjour la caisse, '.repeat(400) + '</p>' + `<input value="${KEY}">`;
    w.keep('/g', big);
    const plain = w.cache.get('/g', 'u1', { gzip: true })!;
    expect(plain.headers.get('content-encoding')).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    const zipped = w.cache.get('/g', 'u1', { gzip: true })!;
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(Number(zipped.headers.get('content-length'))).toBe(bytes.byteLength);
    expect(bytes.byteLength).toBeLessThan(big.length / 5);
    const text = gunzipSync(bytes).toString();
    const nonce = /'nonce-([^']+)'/.exec(zipped.headers.get('content-security-policy')!)![1];
    const key = /name="key" value="([^"]+)"/.exec(text)![1];
    expect(text).not.toContain(KEY);
    expect(text.replaceAll(nonce, NONCE).replaceAll(key, KEY)).toBe(big);
  });
});
