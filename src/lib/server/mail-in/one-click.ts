import type http from 'node:http';
import type { App } from '../app';
import { isDomainError } from '../kernel/errors';

const PATH = /^\/email\/unsubscribe\/([A-Za-z0-9._-]{1,200})$/;

/**
 * RFC 8058 one-click unsubscribe, answered before SvelteKit: mail providers POST
 * `List-Unsubscribe=One-Click` without an Origin header, which SvelteKit's cross-site form
 * check would refuse. Only that exact POST is handled here; the confirmation page's own form
 * (`?/…` actions) and GET go to SvelteKit. Returns true when it answered.
 */
export function handleOneClick(app: App, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  const url = new URL(req.url ?? '/', 'http://x');
  const m = PATH.exec(url.pathname);
  if (!m || url.search) return false;
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => {
    body += c;
    if (body.length > 4096) req.destroy();
  });
  req.on('end', async () => {
    const ok = /(^|&|\r?\n)List-Unsubscribe=One-Click/.test(decodeURIComponent(body.replace(/\+/g, ' ')));
    if (!ok) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Expected List-Unsubscribe=One-Click');
      return;
    }
    try {
      await app.email.unsubscribe({ token: m[1] });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('Unsubscribed');
    } catch (e) {
      if (!isDomainError(e)) res.writeHead(500).end();
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('Unknown link');
    }
  });
  return true;
}
