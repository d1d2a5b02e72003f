import type { Db } from '../../src/lib/server/db/connect';
import type { Visibility, Role } from '../../src/lib/server/db/schema';
import { newId, type UserId } from '../../src/lib/server/kernel/ids';
import type { Actor } from '../../src/lib/server/policy/actor';
import type { Sessions } from '../../src/lib/server/domain/accounts/sessions';

/** What chat factories need of an app (a test app, or the app of a real server). */
export type FactoryApp = { db: Db; sessions: Sessions; clock: { now(): Date } };

let n = 0;
const uniq = () => `${Date.now().toString(36)}${(n++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A member row (no password: tests sign in with a session). */
export async function chatUser(app: FactoryApp, o: { name?: string; handle?: string; locale?: 'fr' | 'nl' | 'en' } = {}) {
  const id = newId<UserId>();
  const handle = o.handle ?? `m_${uniq()}`.slice(0, 30);
  await app.db
    .insertInto('users')
    .values({ id, email: `${handle}@example.org`, name: o.name ?? `Member ${handle}`, handle, passwordHash: null, isAdmin: 0, locale: o.locale ?? 'en', timeZone: 'Europe/Brussels', bio: '', avatarFileId: null, createdAt: app.clock.now().toISOString(), disabledAt: null })
    .execute();
  return { id, handle, name: o.name ?? `Member ${handle}`, actor: () => app.sessions.actorFor(id) };
}

/** A group with the given members (the first one creates it). */
export async function chatGroup(app: FactoryApp, members: { id: UserId; role?: Role }[], o: { visibility?: Visibility; name?: string } = {}) {
  const id = newId();
  const slug = `g-${uniq()}`.toLowerCase();
  const now = app.clock.now().toISOString();
  const creator = members[0]?.id;
  if (!creator) throw new Error('a group needs a first member');
  await app.db
    .insertInto('groups')
    .values({ id, parentId: null, name: o.name ?? `Group ${slug}`, slug, description: '', coverFileId: null, visibility: o.visibility ?? 'closed', createdBy: creator, createdAt: now, lastSeq: 0, discussionCount: 0, memberCount: members.length, lastActivityAt: now })
    .execute();
  for (const m of members) await addMember(app, id, m.id, m.role);
  return { id, slug };
}

export async function addMember(app: FactoryApp, groupId: string, userId: string, role: Role = 'member') {
  await app.db.insertInto('memberships').values({ groupId, userId, role, createdAt: app.clock.now().toISOString(), readFloorSeq: 0, unreadCount: 0 }).execute();
}
export async function removeMember(app: FactoryApp, groupId: string, userId: string) {
  await app.db.deleteFrom('memberships').where('groupId', '=', groupId).where('userId', '=', userId).execute();
}

/** A signed-in session cookie value for a member. */
export async function sessionFor(app: FactoryApp, userId: UserId) {
  return (await app.sessions.start(userId)).token;
}

export const refresh = (app: FactoryApp, userId: UserId): Promise<Actor> => app.sessions.actorFor(userId);

/** A fresh idempotency key. */
export const key = () => `k${uniq()}${Math.random().toString(36).slice(2, 10)}`;

import { WebSocket } from 'ws';

/** A test WebSocket client that records every frame and waits for the ones it needs. */
export type WsClient = {
  ws: WebSocket;
  frames: any[];
  send(o: unknown): void;
  sendRaw(s: string): void;
  next(pred: (f: any) => boolean, timeoutMs?: number): Promise<any>;
  events(room: string): any[];
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
};

export async function wsClient(baseUrl: string, auth: { cookie?: string; token?: string }): Promise<WsClient> {
  const url = baseUrl.replace(/^http/, 'ws') + '/ws';
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = `ruche_session=${auth.cookie}`;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const ws = new WebSocket(url, { headers });
  const frames: any[] = [];
  const waiters: { pred: (f: any) => boolean; resolve: (f: any) => void }[] = [];
  let seen = 0;
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString());
    frames.push(f);
    for (const w of [...waiters])
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  void seen;
  return {
    ws,
    frames,
    send: (o) => ws.send(JSON.stringify(o)),
    sendRaw: (s) => ws.send(s),
    next(pred, timeoutMs = 5000) {
      const hit = frames.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (f: any) => (clearTimeout(timer), resolve(f)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`timed out waiting for a frame; last ones: ${JSON.stringify(frames.slice(-3)).slice(0, 600)}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    events: (room) => frames.filter((f) => f.type === 'event' && f.room === room),
    closed,
    close: () => ws.close(),
  };
}
