import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { translator, isLocale } from '../../i18n';
import type { App } from '../app';
import type { TokenScope } from '../db/schema';
import { addressOfRequest } from '../kernel/client-address';
import { SESSION_COOKIE, bearerToken } from '../domain/accounts/sessions';
import type { Actor } from '../policy';
import { Connection } from './connection';
import { defaultLimits, type Limits } from './protocol';
import { watchAccessChanges } from './revocation';

export type RealtimeOptions = { path?: string; limits?: Partial<Limits>; /** Safety re-check of every connection's rooms. */ recheckMs?: number; pollMs?: number };
export type RealtimeServer = { wss: WebSocketServer; connections: Set<Connection>; close(): Promise<void> };


function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Who opened a socket, with what, and how to tell later that it still works. */
type Credential = { userId: string; scope: TokenScope | null; alive(): Promise<boolean> };

/** Closed when the session or token behind a socket ends (log out everywhere, password change, revocation, expiry). */
export const CLOSE_CREDENTIAL_ENDED = 4001;

/**
 * The WebSocket surface on the same port as the pages: upgrades on `path` (default /ws),
 * authenticated by the session cookie or `Authorization: Bearer <personal access token>`
 * (a token that does not work gets 401; a read token may subscribe and listen but not
 * write). A socket whose session or token has ended is closed at the next check.
 * Other upgrade paths are left alone.
 */
export function attachRealtime(server: http.Server, app: App, opts: RealtimeOptions = {}): RealtimeServer {
  const path = opts.path ?? '/ws';
  const limits: Limits = { ...defaultLimits, ...opts.limits };
  // ws's own payload limit only guards memory; the friendly limit (error frame) is limits.maxFrameBytes.
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(limits.maxFrameBytes * 4, 1024 * 1024), perMessageDeflate: false });
  const connections = new Set<Connection>();
  const deps = {
    chat: app.chat,
    hub: app.realtime.hub,
    actorFor: (id: string) => app.sessions.actorFor(id as never),
    watchable: (actor: Actor, groupIds: string[]) => app.discussions.watchableGroups(actor, { groupIds }),
    limits,
    log: app.deps.log,
  };

  async function credentialFor(req: http.IncomingMessage): Promise<Credential | null> {
    const bearer = bearerToken(req.headers.authorization);
    if (bearer !== null) {
      const t = await app.sessions.resolveAccessToken(bearer);
      return t && { userId: t.userId, scope: t.scope, alive: async () => (await app.sessions.resolveAccessToken(bearer)) !== null };
    }
    const session = cookie(req.headers.cookie, SESSION_COOKIE);
    const userId = await app.sessions.userIdFor(session);
    return userId && { userId, scope: null, alive: async () => (await app.sessions.userIdFor(session)) === userId };
  }
  const credentials = new WeakMap<Connection, Credential>();

  /** Closes the connection when its credential no longer works; else re-checks its rooms. */
  async function recheck(c: Connection) {
    const cred = credentials.get(c);
    if (cred && !(await cred.alive())) return c.end(CLOSE_CREDENTIAL_ENDED, 'credential ended');
    await c.recheck();
  }

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== path) return;
    // Cross-site pages must not open a socket with the member's cookie.
    const origin = req.headers.origin;
    if (origin && !req.headers.authorization && new URL(app.config.baseUrl).origin !== origin && `http://${req.headers.host}` !== origin && `https://${req.headers.host}` !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    credentialFor(req)
      .then(async (cred) => {
        if (!cred) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
          return;
        }
        const token = cred.scope ? { scope: cred.scope } : null;
        const user = await app.db.selectFrom('users').select(['id', 'name', 'locale']).where('id', '=', cred.userId).executeTakeFirst();
        const actor = await app.sessions.actorFor(cred.userId as never, token);
        if (!user) return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        // Per connection: the actor is rebuilt with the token's scope, and a read token only listens.
        const own = { ...deps, actorFor: (id: string) => app.sessions.actorFor(id as never, token), readOnly: cred.scope === 'read' };
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          const c = new Connection(ws, { id: user.id, name: user.name }, actor, translator(isLocale(user.locale) ? user.locale : 'fr'), own);
          credentials.set(c, cred);
          connections.add(c);
          ws.on('close', () => connections.delete(c));
          // The bell's number as of now: whatever changed while this page was loading or offline.
          void app.notifications
            .unread(actor)
            .then((unread) => c.push(Buffer.from(JSON.stringify({ type: 'inbox', unread }))))
            .catch(() => {});
        });
      })
      .catch((e) => {
        app.deps.log(`realtime upgrade from ${addressOfRequest(req, app.config)}: ${(e as Error).message}`);
        socket.destroy();
      });
  };
  server.on('upgrade', onUpgrade);

  const byUser = (userId: string) => [...connections].filter((c) => c.userId === userId);
  const stopWatch = watchAccessChanges(app.db, {
    pollMs: opts.pollMs ?? 500,
    onUser: (userId) => byUser(userId).forEach((c) => void recheck(c).catch(() => {})),
    onGroup: () => connections.forEach((c) => void c.recheck().catch(() => {})),
    log: app.deps.log,
  });
  const timer = setInterval(() => connections.forEach((c) => void recheck(c).catch(() => {})), opts.recheckMs ?? 60_000);
  timer.unref();

  return {
    wss,
    connections,
    async close() {
      server.off('upgrade', onUpgrade);
      stopWatch();
      clearInterval(timer);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
