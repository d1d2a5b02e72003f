import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { translator, isLocale } from '../../i18n';
import type { App } from '../app';
import type { UserId } from '../kernel/ids';
import type { Actor } from '../policy';
import { Connection } from './connection';
import { defaultLimits, type Limits } from './protocol';
import { watchAccessChanges } from './revocation';

export type RealtimeOptions = { path?: string; limits?: Partial<Limits>; /** Safety re-check of every connection's rooms. */ recheckMs?: number; pollMs?: number };
export type RealtimeServer = { wss: WebSocketServer; connections: Set<Connection>; close(): Promise<void> };

const SESSION_COOKIE = 'ruche_session';

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/**
 * The WebSocket surface on the same port as the pages: upgrades on `path` (default /ws),
 * authenticated by the session cookie or `Authorization: Bearer <personal access token>`.
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
    actorFor: (id: string) => app.sessions.actorFor(id as UserId),
    watchable: (actor: Actor, groupIds: string[]) => app.discussions.watchableGroups(actor, { groupIds }),
    limits,
    log: app.deps.log,
  };

  async function userFor(req: http.IncomingMessage): Promise<UserId | null> {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return app.sessions.userIdForAccessToken(auth.slice(7).trim());
    return app.sessions.userIdFor(cookie(req.headers.cookie, SESSION_COOKIE));
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
    userFor(req)
      .then(async (userId) => {
        if (!userId) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
          return;
        }
        const user = await app.db.selectFrom('users').select(['id', 'name', 'locale']).where('id', '=', userId).executeTakeFirst();
        const actor = await app.sessions.actorFor(userId);
        if (!user) return void socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          const c = new Connection(ws, { id: user.id, name: user.name }, actor, translator(isLocale(user.locale) ? user.locale : 'fr'), deps);
          connections.add(c);
          ws.on('close', () => connections.delete(c));
        });
      })
      .catch((e) => {
        app.deps.log(`realtime upgrade: ${(e as Error).message}`);
        socket.destroy();
      });
  };
  server.on('upgrade', onUpgrade);

  const byUser = (userId: string) => [...connections].filter((c) => c.userId === userId);
  const stopWatch = watchAccessChanges(app.db, {
    pollMs: opts.pollMs ?? 500,
    onUser: (userId) => byUser(userId).forEach((c) => void c.recheck().catch(() => {})),
    onGroup: () => connections.forEach((c) => void c.recheck().catch(() => {})),
    onContent: (groupId, kind, discussionId) => app.realtime.hub.groupNotice(groupId, kind, discussionId),
    onChat: (roomId, groupId, authorId) => {
      if (groupId) return app.realtime.hub.chatNotice(roomId, groupId, authorId);
      // A direct conversation: its participants' connections on this process.
      if (connections.size === 0) return;
      void app.db
        .selectFrom('chatParticipants')
        .select('userId')
        .where('roomId', '=', roomId)
        .execute()
        .then((rows) => {
          const ids = new Set(rows.map((r) => r.userId));
          app.realtime.hub.chatNotice(roomId, null, authorId, [...connections].filter((c) => ids.has(c.userId)));
        })
        .catch((e) => app.deps.log(`realtime: chat notice: ${(e as Error).message}`));
    },
    log: app.deps.log,
  });
  const recheck = setInterval(() => connections.forEach((c) => void c.recheck().catch(() => {})), opts.recheckMs ?? 60_000);
  recheck.unref();

  return {
    wss,
    connections,
    async close() {
      server.off('upgrade', onUpgrade);
      stopWatch();
      clearInterval(recheck);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
