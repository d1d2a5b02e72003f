import { describe, expect, it } from 'vitest';
import { encodePage, keepPage, restorePage } from './page-body';

const page = '<!doctype html>\n<html lang="%lang%"><body>' + '<p>Réponse · 📌 %lang% reste</p>'.repeat(200) + '</body></html>';
const rendered = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status: 200, headers: { 'content-type': 'text/html', etag: '"123"', 'content-length': String(Buffer.byteLength(body)), 'set-cookie': 'a=1', ...headers } });

describe('encodePage', () => {
  it("replaces app.html's %lang% only, in UTF-8", () => {
    const bytes = encodePage(page, 'nl');
    expect(bytes.toString('utf8')).toBe(page.replace('%lang%', 'nl'));
    expect(bytes.toString('utf8')).toContain('📌 %lang% reste');
  });

  it('leaves a page without it as it is', () => {
    expect(encodePage('<p>é</p>', 'fr').toString('utf8')).toBe('<p>é</p>');
  });
});

describe('restorePage', () => {
  it('puts the kept page back, without the ETag SvelteKit computed over nothing, with its length', async () => {
    const event = {};
    const transformed = keepPage(event, page);
    expect(transformed).toBe('');
    const answer = rendered(transformed);
    answer.headers.append('set-cookie', 'b=2');
    const res = restorePage(event, answer, 'en');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.byteLength);
    expect(body.toString('utf8')).toBe(page.replace('%lang%', 'en'));
  });

  it('puts the page in front of the chunks of a streamed page', async () => {
    const event = {};
    keepPage(event, '<html lang="%lang%"><body>head');
    const enc = new TextEncoder();
    const stream = new ReadableStream({ start: (c) => (c.enqueue(enc.encode('\n')), c.enqueue(enc.encode('<script>later</script>')), c.close()) });
    const res = restorePage(event, new Response(stream, { headers: { 'content-type': 'text/html' } }), 'fr');
    expect(res.headers.get('content-length')).toBeNull();
    expect(await res.text()).toBe('<html lang="fr"><body>head\n<script>later</script>');
  });

  it('returns answers it did not keep untouched', () => {
    const res = rendered('{}', { 'content-type': 'application/json' });
    expect(restorePage({}, res, 'fr')).toBe(res);
  });
});
