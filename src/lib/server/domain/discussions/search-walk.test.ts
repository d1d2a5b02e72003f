import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, engines, type TestApp } from '../../../../../tests/support/app';
import { actorOf, addMember, makeCircle, makeGroup } from '../../../../../tests/support/discussions-factories';
import { newId } from '../../kernel/ids';
import { docTerms } from './search-terms';

/**
 * The search walks matches newest first in batches and stops once a page is full: its pages
 * must be exactly those of one query over every match, sorted by (createdAt, rowid), whether
 * the readable matches are many (the first batch suffices), rare (the rest is searched as a
 * whole) or in between, with dates out of the order of insertion and equal dates.
 */
// 3,000 documents: "compost" (all) and "potager" (most) are common words, walked by date
// (2,000 matches and more); "tram" (one in seven) is searched in one query.
const N = 3000;
describe.each(engines)('search pages on %s', (engine) => {
  let app: TestApp;
  let c: Awaited<ReturnType<typeof makeCircle>>;
  const docs: { docId: string; createdAt: string; n: number; readable: boolean; words: string[] }[] = [];
  let anne: Awaited<ReturnType<typeof actorOf>>;

  beforeAll(async () => {
    app = await createTestApp(engine);
    c = await makeCircle(app, 'closed');
    const hidden = await makeGroup(app, { visibility: 'secret', createdBy: c.admin.id });
    await addMember(app, hidden.id, c.admin.id, 'admin');
    const open = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Ici', body: 'rien' });
    // A second group of Anne's: the readable matches are spread over both, whose walks are
    // merged into one order.
    const outside = await makeGroup(app, { visibility: 'closed', createdBy: c.admin.id });
    await addMember(app, outside.id, c.admin.id, 'admin');
    await addMember(app, outside.id, c.anne.id, 'member');
    anne = await actorOf(app, c.anne.id);
    const there = await app.discussions.create(await actorOf(app, c.admin.id), { groupSlug: outside.slug, title: 'Là', body: 'rien' });
    const secret = await app.discussions.create(await actorOf(app, c.admin.id), { groupSlug: hidden.slug, title: 'Ailleurs', body: 'rien' });
    // Not readable either: a deleted discussion in the member's own group.
    const gone = await app.discussions.create(c.anne.actor, { groupSlug: c.g.slug, title: 'Partie', body: 'rien' });
    await app.discussions.remove(c.anne.actor, { discussionId: gone.id });
    const base = Date.UTC(2025, 0, 1);
    for (let n = 0; n < N; n++) {
      // Dates: a permutation of the insertion order, seven documents per date. Readable: the
      // 60 oldest, and one in nine of the newest third (so a first batch leaves a page short
      // and the next one starts inside a run of equal dates). The others are a quarter in a group
      // Anne may not read, the rest in a deleted discussion of her group (which pass the walk's
      // group check, so "potager" has to be finished by the one query).
      const at = (n * 7919) % N;
      const readable = at < 60 || (at >= 2000 && n % 9 === 0);
      const words = ['compost', ...(!readable || at < 60 ? ['potager'] : []), ...(at % 7 === 0 ? ['tram'] : [])];
      docs.push({ docId: newId(), createdAt: new Date(base + Math.floor(at / 7) * 60_000).toISOString(), n, readable, words });
    }
    for (let k = 0; k < N; k += 200)
      await app.db
        .insertInto('searchDocs')
        .values(
          docs.slice(k, k + 200).map((d) => {
            const body = d.words.join(' ');
            const [groupId, discussionId] = d.readable ? (d.n % 2 ? [c.g.id, open.id] : [outside.id, there.id]) : d.n % 4 === 0 ? [hidden.id, secret.id] : [c.g.id, gone.id];
            return { docId: d.docId, kind: 'comment', groupId, discussionId, title: '', body, terms: docTerms('', body), createdAt: d.createdAt };
          }),
        )
        .execute();
    // PostgreSQL decides on its planner's estimate whether a word is common: fresh statistics,
    // as autovacuum would have, so "compost" and "potager" are walked there too.
    if (engine === 'postgres') await sql`ANALYZE search_docs`.execute(app.db);
  });
  afterAll(async () => app?.cleanup());

  /** Every page of a search by Anne, followed through `next`. */
  async function allPages(q: string, limit: number) {
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 200; i++) {
      const r = await app.discussions.search(anne, { q, after, limit });
      ids.push(...r.hits.filter((h) => h.kind === 'comment').map((h) => h.id));
      if (!r.next) return ids;
      after = r.next;
    }
    throw new Error('no last page');
  }
  const expected = (word: string) =>
    docs
      .filter((d) => d.readable && d.words.includes(word))
      .sort((a, b) => (a.createdAt === b.createdAt ? b.n - a.n : a.createdAt < b.createdAt ? 1 : -1))
      .map((d) => d.docId);

  it('many readable matches: newest first, ties by insertion, every page', async () => {
    const want = expected('compost');
    expect(want.length).toBeGreaterThan(150);
    expect(await allPages('compost', 50)).toEqual(want);
  });

  it('readable matches only among the oldest of many: found past the batches, in order', async () => {
    const want = expected('potager');
    expect(want.length).toBe(60);
    expect(docs.filter((d) => d.words.includes('potager')).length).toBeGreaterThan(2000);
    expect(await allPages('potager', 20)).toEqual(want);
  });

  it('a page size of one and a word in between', async () => {
    const want = expected('tram');
    expect((await allPages('tram', 1)).slice(0, 30)).toEqual(want.slice(0, 30));
    expect(await allPages('tram', 7)).toEqual(want);
  });
});
