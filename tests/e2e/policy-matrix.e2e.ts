/**
 * The leak matrix: visitor / non-member / member / group admin / instance admin × open /
 * closed / secret groups × every page and API route. Private content carries unique markers;
 * the test asserts they never appear where the actor may not read them — not in lists,
 * counts, search, attachment URLs or error messages — and that direct URLs answer 404.
 */
import { freePort } from '../support/ports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type Running } from '../../server/main';
import { loadConfig } from '../../src/lib/server/config';
import { createApp, type App } from '../../src/lib/server/app';
import { MemoryMailTransport } from '../../src/lib/server/adapters/mail/mail-transport';
import { insertUser } from '../../src/lib/server/domain/accounts/users';
import { newId } from '../../src/lib/server/kernel/ids';
import { renderMarkdown } from '../../src/lib/server/markdown';
import { indexItem } from '../../src/lib/server/domain/discussions/search';
import type { Visibility } from '../../src/lib/server/db/schema';

type Fixture = { slug: string; groupId: string; discussionId: string; commentId: string; fileId: string; markers: string[]; name: string };

let running: Running;
let app: App;
let dataDir: string;
const fixtures: Record<Visibility, Fixture> = {} as never;
const cookies: Record<string, string> = {};
const users: Record<string, string> = {};

async function seedGroup(vis: Visibility, ownerId: string, memberId: string): Promise<Fixture> {
  const now = new Date().toISOString();
  const groupId = newId();
  const slug = `grp-${vis}`;
  const name = vis === 'secret' ? 'HIDDENNAME-secret' : `Groupe ${vis}`;
  const desc = vis === 'secret' ? 'HIDDENDESC-secret' : `Description publique ${vis}`;
  const m = (k: string) => `LEAK${vis.toUpperCase()}${k}`;
  await app.db.insertInto('groups').values({ id: groupId, parentId: null, name, slug, description: desc, coverFileId: null, visibility: vis, createdBy: ownerId, createdAt: now, lastSeq: 2, discussionCount: 1, memberCount: 2, lastActivityAt: now }).execute();
  await app.db.insertInto('memberships').values([
    { groupId, userId: ownerId, role: 'admin', createdAt: now, readFloorSeq: 0, unreadCount: 0 },
    { groupId, userId: memberId, role: 'member', createdAt: now, readFloorSeq: 0, unreadCount: 2 },
  ]).execute();
  const discussionId = newId();
  const title = `Titre ${m('TITLE')}`;
  const body = `Corps ${m('BODY')} plantation`;
  await app.db.insertInto('discussions').values({ id: discussionId, groupId, authorId: ownerId, title, body, bodyHtml: renderMarkdown(body), seq: 1, lastSeq: 2, commentCount: 1, pinnedAt: null, lockedAt: null, createdAt: now, editedAt: null, deletedAt: null, lastActivityAt: now }).execute();
  const commentId = newId();
  const cbody = `Réponse ${m('COMMENT')} plantation`;
  await app.db.insertInto('comments').values({ id: commentId, discussionId, groupId, authorId: memberId, body: cbody, bodyHtml: renderMarkdown(cbody), seq: 2, createdAt: now, editedAt: null, deletedAt: null, deletedBy: null }).execute();
  await indexItem(app.db, { docId: discussionId, kind: 'discussion', groupId, discussionId, title, body, createdAt: now });
  await indexItem(app.db, { docId: commentId, kind: 'comment', groupId, discussionId, title: '', body: cbody, createdAt: now });
  const fileId = newId();
  const fileDir = path.join(dataDir, 'files', fileId.slice(-2));
  fs.mkdirSync(fileDir, { recursive: true });
  fs.writeFileSync(path.join(fileDir, fileId), `%PDF ${m('FILE')}`);
  await app.db.insertInto('files').values({ id: fileId, ownerId: ownerId, purpose: 'attachment', groupId, discussionId, commentId, name: `pv-${m('FILENAME')}.pdf`, mime: 'application/pdf', size: 20, width: null, height: null, hasPreview: 0, createdAt: now }).execute();
  return { slug, groupId, discussionId, commentId, fileId, name, markers: [m('TITLE'), m('BODY'), m('COMMENT'), m('FILE'), m('FILENAME'), ...(vis === 'secret' ? ['HIDDENNAME', 'HIDDENDESC'] : [])] };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-matrix-'));
  const port = await freePort();
  const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}` });
  app = await createApp(config, { mail: new MemoryMailTransport(), log: () => {} });
  await app.instance.setup({ associationName: 'Matrice', name: 'Instance Admin', email: 'root@example.org', password: 'a long password' });
  users.instanceAdmin = (await app.db.selectFrom('users').select('id').where('email', '=', 'root@example.org').executeTakeFirstOrThrow()).id;
  for (const who of ['groupAdmin', 'member', 'outsider']) {
    users[who] = (await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: `${who}@example.org`, name: who }))).id;
  }
  for (const vis of ['open', 'closed', 'secret'] as const) fixtures[vis] = await seedGroup(vis, users.groupAdmin, users.member);
  for (const [who, id] of Object.entries(users)) cookies[who] = `ruche_session=${(await app.sessions.start(id as never)).token}`;
  process.env.ORIGIN = config.baseUrl;
  running = await startServer(config, { app, quiet: true });
});
afterAll(async () => {
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const actors = ['visitor', 'outsider', 'member', 'groupAdmin', 'instanceAdmin'] as const;
type ActorName = (typeof actors)[number];
const mayRead = (who: ActorName, vis: Visibility) => vis === 'open' || who === 'member' || who === 'groupAdmin' || who === 'instanceAdmin';
const maySee = (who: ActorName, vis: Visibility) => vis !== 'secret' || mayRead(who, vis);

async function get(who: ActorName, p: string) {
  const res = await fetch(running.url + p, { headers: who === 'visitor' ? {} : { cookie: cookies[who] }, redirect: 'manual' });
  return { status: res.status, body: await res.text() };
}

/** Pages and API routes that list or search across groups. */
const listRoutes = ['/', '/groups', '/search?q=plantation', '/api/v1/groups', '/api/v1/search?q=plantation'];
/** Routes of one group's content. */
const groupRoutes = (f: Fixture) => [
  `/groups/${f.slug}`,
  `/groups/${f.slug}/discussions`,
  `/groups/${f.slug}/members`,
  `/d/${f.discussionId}`,
  `/files/${f.fileId}`,
  `/api/v1/groups/${f.slug}`,
  `/api/v1/groups/${f.slug}/members`,
  `/api/v1/discussions?group=${f.slug}`,
  `/api/v1/discussions/${f.discussionId}/comments`,
  `/api/v1/groups/${f.slug}/mention-candidates?q=gr`,
  `/groups/${f.slug}/chat`,
  `/api/v1/chat/groups/${f.slug}`,
  `/api/v1/discussions/${f.discussionId}`,
];

describe('nothing private leaks', () => {
  for (const who of actors) {
    it(`${who}: lists and search show only readable content`, async () => {
      for (const route of listRoutes) {
        const { body } = await get(who, route);
        for (const vis of ['open', 'closed', 'secret'] as const) {
          for (const marker of fixtures[vis].markers) {
            const expected = mayRead(who, vis) || (!marker.startsWith('LEAK') && maySee(who, vis));
            if (!expected) expect(body, `${who} ${route} leaks ${marker}`).not.toContain(marker);
          }
        }
      }
    });

    for (const vis of ['open', 'closed', 'secret'] as const) {
      it(`${who} × ${vis} group: direct URLs`, async () => {
        const f = fixtures[vis];
        for (const route of groupRoutes(f)) {
          const { status, body } = await get(who, route);
          const groupPage = route === `/groups/${f.slug}` || route === `/api/v1/groups/${f.slug}`;
          if (!mayRead(who, vis)) {
            for (const marker of f.markers) expect(body, `${who} ${route} leaks ${marker}`).not.toContain(marker);
            if (groupPage && maySee(who, vis)) expect(status, `${who} ${route}`).toBe(200);
            else expect([404, 401, 303], `${who} ${route} answered ${status}`).toContain(status);
            if (!maySee(who, vis)) expect(status === 404 || status === 401 || status === 303, `${who} ${route}`).toBe(true);
          } else {
            expect(status, `${who} ${route}`).toBe(200);
          }
        }
      });
    }
  }
});
