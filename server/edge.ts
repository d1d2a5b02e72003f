/**
 * What the production entry answers itself, before SvelteKit: bodies over the size limit
 * (413, then the connection is closed cleanly) and paths that are not valid percent-encoding
 * (400). Both answers are small, in the member's language, JSON under /api/.
 */
import type http from 'node:http';
import type net from 'node:net';
import { negotiateLocale, isLocale, translator, type Locale } from '../src/lib/i18n';

/** How long a connection being closed keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 5_000;

/** BODY_SIZE_LIMIT as adapter-node reads it: bytes, or a number with K, M or G. */
export function parseBytes(value: string): number {
  const unit = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[value.slice(-1).toUpperCase()];
  return unit ? Number(value.slice(0, -1)) * unit : Number(value);
}

function localeOf(req: http.IncomingMessage): Locale {
  const cookie = /(?:^|;\s*)lang=([a-z]{2})/.exec(req.headers.cookie ?? '')?.[1];
  return isLocale(cookie) ? cookie : negotiateLocale(req.headers['accept-language']);
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, status: number, code: string, message: string) {
  const path = (req.url ?? '/').split('?')[0];
  const wantsJson = path.startsWith('/api/') || /application\/json/.test(req.headers.accept ?? '') || req.headers['x-sveltekit-action'] === 'true';
  let body: string;
  if (path.startsWith('/api/')) body = JSON.stringify({ error: { code, message } });
  // A form sent by SvelteKit's client reads an action result.
  else if (wantsJson) body = JSON.stringify({ type: 'error', error: { message } });
  else body = `<!doctype html><html lang="${localeOf(req)}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status}</title><p>${message.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</p><p><a href="/">Ruche</a></p></html>`;
  res.writeHead(status, {
    'content-type': wantsJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/**
 * Closes a connection cleanly after its last response ("Connection: close"). The response is
 * already on its way; the body the client is still sending is read and dropped until it
 * ends (or for at most a few seconds), and only then is the connection closed. Closing at
 * once, with unread bytes, stalls the sender on a full window and ends in a reset that can
 * make the client lose the response it has not read yet.
 */
export function lingerOnClose(req: http.IncomingMessage, bodyComing = true) {
  const s = req.socket as net.Socket & { destroySoon?: () => void; rucheLinger?: boolean };
  if (s.rucheLinger) return;
  s.rucheLinger = true;
  // Node's HTTP server calls destroySoon() once the response with "Connection: close" is written.
  s.destroySoon = function (this: net.Socket) {
    const giveUp = setTimeout(() => this.destroy(), LINGER_MS);
    giveUp.unref();
    this.once('close', () => clearTimeout(giveUp));
    // Closing the write side stops the HTTP parser from reading: wait until the body is in.
    const close = () => this.end();
    if (req.complete || !bodyComing) close();
    else {
      req.once('end', close);
      req.once('error', () => this.destroy());
      req.resume();
    }
  };
}

/**
 * A body announced larger than `limit`: answered 413 at once, without reading it, with
 * `Connection: close`, and the connection closed cleanly (see `lingerOnClose`). Returns
 * true when it answered. `max` is the largest upload in MB, for the message.
 */
export function refuseOversize(req: http.IncomingMessage, res: http.ServerResponse, limit: number, maxMb: number): boolean {
  const length = Number(req.headers['content-length']);
  if (!(length > limit)) return false;
  const t = translator(localeOf(req));
  // Read and drop whatever arrives meanwhile, so the client is never stuck on a full window.
  req.resume();
  res.setHeader('connection', 'close');
  // A client that asked "Expect: 100-continue" and gets no 100 does not send its body.
  lingerOnClose(req, !/100-continue/i.test(String(req.headers.expect ?? '')));
  answer(req, res, 413, 'body_too_big', t('errors.file_too_big', { max: maxMb }));
  return true;
}

/**
 * Any other 413 (a chunked body that grew past the limit while SvelteKit read it) also
 * closes its connection cleanly: the rest of that body is not worth waiting for.
 */
export function closeAfter413(req: http.IncomingMessage, res: http.ServerResponse) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 413) {
      this.setHeader('connection', 'close');
      lingerOnClose(req);
    }
    return (writeHead as (...a: unknown[]) => http.ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
}

/**
 * A path whose percent-encoding does not decode (e.g. /d/%E0%A4%A) is a client's mistake:
 * 400 and one log line, instead of an "unhandled error" with a stack from deep inside.
 */
export function refuseBadPath(req: http.IncomingMessage, res: http.ServerResponse, log: (line: string) => void): boolean {
  const path = (req.url ?? '/').split('?')[0];
  try {
    // As SvelteKit decodes it (%25 stays a literal percent).
    path.split('%25').forEach((part) => decodeURI(part));
    return false;
  } catch {
    log(`400 malformed path ${JSON.stringify(path.slice(0, 200))} from ${req.socket.remoteAddress ?? '?'}`);
    answer(req, res, 400, 'bad_path', translator(localeOf(req))('errors.bad_path'));
    return true;
  }
}
