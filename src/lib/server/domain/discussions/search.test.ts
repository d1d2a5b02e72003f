import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { makeCircle } from '../../../../../tests/support/discussions-factories';
import { migrations } from '../../db/migrate';
import { newId } from '../../kernel/ids';
import { fold, ftsMatch, queryTerms, snippetOf, stemsOf, tsQuery } from './search-terms';

describe('search terms', () => {
  it('folds case and accents', () => {
    expect(fold('Réunion à l’Hôtel')).toBe('reunion a l’hotel');
    expect(fold('Cœur')).toBe('coeur');
  });

  it('gives word forms a common stem in French, Dutch and English', () => {
    const meet = (a: string, b: string) => stemsOf(a).some((s) => stemsOf(b).includes(s));
    for (const [a, b] of [
      ['affiche', 'affiches'],
      ['vergadering', 'vergaderingen'],
      ['meeting', 'meetings'],
      ['manger', 'mangeons'],
      ['commencer', 'commençons'],
      ['réunion', 'reunions'],
      ['élève', 'eleve'],
    ])
      expect(meet(a, b), `${a} / ${b}`).toBe(true);
    expect(meet('vergadering', 'meeting')).toBe(false);
    expect(meet('affiche', 'affaire')).toBe(false);
  });

  it('builds queries with only letters and digits, whatever is typed', () => {
    const t = queryTerms(`a "b c' AND (x* NEAR -`);
    expect(t.flat().every((s) => /^[\p{L}\p{N}]+$/u.test(s))).toBe(true);
    expect(ftsMatch([['affich', 'affiches'], ['mang']])).toBe('("affich" OR "affiches") AND ("mang")');
    expect(tsQuery([['affich', 'affiches'], ['mang']])).toBe("('affich' | 'affiches') & ('mang')");
    expect(queryTerms('  -- !! ')).toEqual([]);
  });

  it('cuts snippets from the original text, marking the matching words', () => {
    const parts = snippetOf('Les affiches du marché de Noël sont prêtes.', queryTerms('affiche'));
    expect(parts).toEqual([
      { text: 'Les ', hit: false },
      { text: 'affiches', hit: true },
      { text: ' du marché de Noël sont prêtes.', hit: false },
    ]);
    const long = `${'mot '.repeat(40)}affiches ${'fin '.repeat(40)}`;
    const cut = snippetOf(long, queryTerms('affiche'));
    expect(cut[0].text.startsWith('…')).toBe(true);
    expect(cut[cut.length - 1].text.endsWith('…')).toBe(true);
    expect(snippetOf('rien ici', queryTerms('affiche'))).toEqual([]);
  });
});

describe.each(engines)('search finds word forms on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  const titles = async (q: string) => (await app.discussions.search(c.anne.actor, { q })).hits.map((h) => h.title).sort();

  beforeAll(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
    const post = async (title: string, body: string) => {
      app.clock.advance(1000);
      return app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title, body });
    };
    await post('Fête du quartier', 'Il faut imprimer une affiche pour la fête.');
    await post('Algemene vergadering', 'De vergaderingen van het bestuur zijn op dinsdag.');
    await post('Planning', 'Next meeting on Monday, bring the minutes.');
    await post('Repas', 'Nous mangeons ensemble après la réunion.');
    await post('Réunion de rentrée', 'Ordre du jour à compléter.');
    const d = await post('Élèves', 'Sortie scolaire');
    await app.discussions.reply(c.bert.actor, { discussionId: d.id, body: 'Les affiches sont au café.' });
  });
  afterAll(async () => app?.cleanup());

  it('affiche finds affiches and back', async () => {
    expect(await titles('affiches')).toEqual(['Fête du quartier', 'Élèves']);
    expect(await titles('affiche')).toEqual(['Fête du quartier', 'Élèves']);
  });

  it('vergadering finds vergaderingen, meetings finds meeting, manger finds mangeons', async () => {
    expect(await titles('vergadering')).toEqual(['Algemene vergadering']);
    expect(await titles('vergaderingen')).toEqual(['Algemene vergadering']);
    expect(await titles('meetings')).toEqual(['Planning']);
    expect(await titles('manger')).toEqual(['Repas']);
    expect(await titles('mangeons')).toEqual(['Repas']);
  });

  it('ignores accents both ways', async () => {
    expect(await titles('reunion')).toEqual(['Repas', 'Réunion de rentrée']);
    expect(await titles('RÉUNIONS')).toEqual(['Repas', 'Réunion de rentrée']);
    expect(await titles('eleve')).toEqual(['Élèves']);
    expect(await titles('cafe')).toEqual(['Élèves']);
  });

  it('needs every word, and shows the original words in the snippet', async () => {
    expect(await titles('affiches café')).toEqual(['Élèves']);
    expect(await titles('affiche vergadering')).toEqual([]);
    const res = await app.discussions.search(c.anne.actor, { q: 'cafe affiche' });
    expect(res.hits).toHaveLength(1);
    expect(res.hits[0].kind).toBe('comment');
    expect(res.hits[0].snippet.filter((p) => p.hit).map((p) => p.text)).toEqual(['affiches', 'café']);
    expect(res.hits[0].snippet.map((p) => p.text).join('')).toBe('Les affiches sont au café.');
    // A match in the title only: the title is the snippet.
    const byTitle = await app.discussions.search(c.anne.actor, { q: 'eleves' });
    expect(byTitle.hits[0].snippet).toEqual([{ text: 'Élèves', hit: true }]);
  });
});

describe.each(engines)('migration 010 on %s', (engine) => {
  let app: TestApp;
  const ids = { group: newId(), user: newId(), discussion: newId() };
  afterAll(async () => app?.cleanup());

  it('re-indexes the documents that existed before it', async () => {
    app = await createTestApp(engine, {}, {
      async beforeMigrate(h) {
        // The database as it was before migration 010, with a document indexed the old way.
        await sql`CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at text NOT NULL)`.execute(h.db);
        for (const [name, m] of migrations.filter(([n]) => n < '010')) {
          await h.db.transaction().execute(async (tx) => {
            await m.up(tx, h.dialect);
            await sql`INSERT INTO schema_migrations (name, applied_at) VALUES (${name}, ${new Date().toISOString()})`.execute(tx);
          });
        }
        await sql`INSERT INTO search_docs (doc_id, kind, group_id, discussion_id, title, body, created_at)
          VALUES (${ids.discussion}, 'discussion', ${ids.group}, ${ids.discussion}, 'Vergaderingen', 'Les affiches de la réunion', '2026-01-01T00:00:00.000Z')`.execute(h.db);
      },
    });
    const now = '2026-01-01T00:00:00.000Z';
    await app.db.insertInto('users').values({ id: ids.user, email: 'old@example.org', name: 'Old', handle: 'old', passwordHash: null, isAdmin: 1, locale: 'fr', timeZone: 'Europe/Brussels', bio: '', avatarFileId: null, createdAt: now, disabledAt: null }).execute();
    await app.db.insertInto('groups').values({ id: ids.group, parentId: null, name: 'Old', slug: 'old', description: '', coverFileId: null, visibility: 'open', createdBy: ids.user, createdAt: now, lastSeq: 1, discussionCount: 1, memberCount: 0, lastActivityAt: now }).execute();
    await app.db.insertInto('discussions').values({ id: ids.discussion, groupId: ids.group, authorId: ids.user, title: 'Vergaderingen', body: 'x', bodyHtml: 'x', seq: 1, lastSeq: 1, commentCount: 0, pinnedAt: null, lockedAt: null, createdAt: now, editedAt: null, deletedAt: null, lastActivityAt: now }).execute();
    const actor = await app.sessions.actorFor(ids.user as never);
    for (const q of ['affiche', 'reunions', 'vergadering'])
      expect((await app.discussions.search(actor, { q })).hits.map((h) => h.id), q).toEqual([ids.discussion]);
    // New documents are indexed through the new column and triggers too.
    const row = await app.db.selectFrom('searchDocs').select('terms').where('docId', '=', ids.discussion).executeTakeFirstOrThrow();
    expect(row.terms.split(' ')).toContain('affich');
  });
});
