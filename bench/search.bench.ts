/**
 * `npm run bench:search`: full-text search time at a large number of indexed comments, for a
 * member of 20 groups out of 40 (the search filters on the groups they may read). On SQLite,
 * and on PostgreSQL too when BENCH_PG_URL points at a server (a scratch database is created
 * and dropped). BENCH_COMMENTS sets the size (default 1,000,000); BENCH_SEARCHES the number of
 * timed searches per query (default 60); BENCH_KEEP=1 keeps the databases; BENCH_ENGINES=sqlite or postgres runs one. Prints p50/p95 per query and engine, then one JSON line.
 *
 * The rows are written straight into the tables, as the services would (the search documents
 * with their stemmed `terms`; FTS5 triggers and PostgreSQL's generated tsvector do the rest);
 * bodies are drawn from a few hundred texts so that seeding is bounded by the database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql, type Insertable } from 'kysely';
import { loadConfig } from '../src/lib/server/config';
import { createApp, type App } from '../src/lib/server/app';
import { insertUser } from '../src/lib/server/domain/accounts/users';
import { docTerms } from '../src/lib/server/domain/discussions/search-terms';
import { newId, type UserId } from '../src/lib/server/kernel/ids';
import type { SearchDocsTable } from '../src/lib/server/db/schema';
import { seedDiscussions, seedGroup } from './seed';

const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 1_000_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 60);
const GROUPS = 40;
const MEMBER_OF = 20;
const PER_DISCUSSION = 200;

const words = 'marché vélo réunion budget parc école quartier fête jardin compost musique atelier bibliothèque potager tram mobilité sécurité propreté subside locataire'.split(' ');
const filler = 'Bonjour à toutes et à tous, merci pour le compte rendu. Nous en reparlons jeudi avec les voisins et la commune, comme prévu.';
/** A few hundred bodies: filler plus two topic words and a number; a rare word in one text of 1,000. */
const bodies = Array.from({ length: 400 }, (_, i) => `${filler} ${words[i % words.length]} ${words[(i * 7) % words.length]} n° ${i}.`);
const texts = bodies.map((b) => ({ body: b, terms: docTerms('', b) }));
const rare = { body: `${filler} Le xylophone de l'harmonie est arrivé.`, terms: docTerms('', `${filler} Le xylophone de l'harmonie est arrivé.`) };

async function seed(app: App): Promise<UserId> {
  await app.instance.setup({ associationName: 'Bench', name: 'Bench Admin', email: 'bench@example.org', password: 'benchmark-password' });
  const admin = (await app.db.selectFrom('users').select('id').where('email', '=', 'bench@example.org').executeTakeFirstOrThrow()).id;
  const member = (await app.db.transaction().execute((tx) => insertUser(app.deps, tx, { email: 'member@example.org', name: 'Member' }))).id;
  const discussionsPerGroup = Math.max(1, Math.ceil(COMMENTS / PER_DISCUSSION / GROUPS));
  const t0 = Date.now();
  let written = 0;
  for (let g = 0; g < GROUPS; g++) {
    // Half the groups are secret and without the member: the search must leave them out.
    const groupId = await seedGroup(app, { slug: `groupe-${g}`, ownerId: admin, memberIds: g < MEMBER_OF ? [admin, member] : [admin] });
    if (g >= MEMBER_OF) await app.db.updateTable('groups').set({ visibility: 'secret' }).where('id', '=', groupId).execute();
    const discussionIds = await seedDiscussions(app, groupId, admin, discussionsPerGroup);
    const perGroup = Math.min(COMMENTS - written, discussionsPerGroup * PER_DISCUSSION);
    for (let start = 0; start < perGroup; start += 10_000) {
      const rows: Insertable<SearchDocsTable>[] = [];
      for (let i = start; i < Math.min(perGroup, start + 10_000); i++) {
        const n = written + i;
        const t = n % 1000 === 999 ? rare : texts[n % texts.length];
        rows.push({ docId: newId(), kind: 'comment', groupId, discussionId: discussionIds[Math.floor(i / PER_DISCUSSION)], title: '', body: t.body, terms: t.terms, createdAt: new Date(Date.UTC(2024, 0, 1) + n * 30_000).toISOString() });
      }
      await app.db.transaction().execute(async (tx) => {
        for (let k = 0; k < rows.length; k += 1000) await tx.insertInto('searchDocs').values(rows.slice(k, k + 1000)).execute();
      });
    }
    written += perGroup;
    process.stdout.write(`\r  ${written.toLocaleString('en')} comments indexed (${Math.round((Date.now() - t0) / 1000)} s)`);
  }
  console.log('');
  return member as UserId;
}

const queries = [
  { label: 'one common word (≈1 in 20 texts)', q: 'compost' },
  { label: 'two words', q: 'vélo budget' },
  { label: 'word form (stemmed)', q: 'réunions' },
  { label: 'rare word (1 in 1,000)', q: 'xylophone' },
  { label: 'no match', q: 'zzyzx' },
];

async function run(engine: 'sqlite' | 'postgres', databaseUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-bench-search-'));
  const config = loadConfig({ DATA_DIR: dataDir, BASE_URL: 'http://localhost:3000', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const app = await createApp(config, { log: () => {} });
  console.log(`\n${engine}: seeding ${COMMENTS.toLocaleString('en')} comments in ${GROUPS} groups (member of ${MEMBER_OF})…`);
  const t0 = Date.now();
  const member = await seed(app);
  const seedSeconds = Math.round((Date.now() - t0) / 1000);
  // Fresh statistics, as autovacuum would have after such a load.
  if (engine === 'postgres') await sql`ANALYZE`.execute(app.db);
  const actor = await app.sessions.actorFor(member);
  const out: Record<string, { p50_ms: number; p95_ms: number; hits: number }> = {};
  for (const { label, q } of queries) {
    const first = await app.discussions.search(actor, { q });
    const times: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const t = performance.now();
      await app.discussions.search(actor, { q });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => +times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    out[q] = { p50_ms: at(0.5), p95_ms: at(0.95), hits: first.hits.length };
    console.log(`  ${label.padEnd(36)} "${q}"  p50 ${String(out[q].p50_ms).padStart(6)} ms   p95 ${String(out[q].p95_ms).padStart(6)} ms   (${first.hits.length} hits on the first page)`);
  }
  await app.close();
  // BENCH_KEEP=1 keeps the SQLite database, to try queries on it.
  if (process.env.BENCH_KEEP && engine === 'sqlite') console.log(`  kept in ${dataDir}`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
  return { engine, seed_s: seedSeconds, worst_p95_ms: Math.max(...Object.values(out).map((v) => v.p95_ms)), queries: out };
}

// BENCH_ENGINES=postgres (or sqlite) runs one engine only.
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const results = engines.includes('sqlite') ? [await run('sqlite')] : [];
if (process.env.BENCH_PG_URL && engines.includes('postgres')) {
  const base = process.env.BENCH_PG_URL;
  const name = `ruche_bench_search_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  try {
    results.push(await run('postgres', u.toString()));
  } finally {
    // BENCH_KEEP=1 keeps the PostgreSQL database too.
    if (process.env.BENCH_KEEP) console.log(`  kept PostgreSQL database ${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
console.log(JSON.stringify({ bench: 'search', comments: COMMENTS, groups: GROUPS, member_of: MEMBER_OF, searches: SEARCHES, results }));
process.exit(0);
