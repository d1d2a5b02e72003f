import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect';
import { docTerms } from '../../domain/discussions/search-terms';

/**
 * Search that finds word forms: `search_docs.terms` holds the French, Dutch and English
 * stems of each document's words (accents folded), computed in JavaScript so that SQLite and
 * PostgreSQL match the same tokens. The full-text indexes move from the raw title and text to
 * `terms` (SQLite: FTS5 over `terms`; PostgreSQL: a tsvector built from `terms` without any
 * parser), and every existing document is re-indexed here.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`ALTER TABLE search_docs ADD COLUMN terms text NOT NULL DEFAULT ''`.execute(db);
  if (dialect === 'sqlite') {
    for (const t of ['search_docs_ai', 'search_docs_ad', 'search_docs_au']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(t)}`.execute(db);
    await sql`DROP TABLE IF EXISTS search_fts`.execute(db);
  } else {
    await sql`DROP INDEX IF EXISTS search_docs_tsv`.execute(db);
    await sql`ALTER TABLE search_docs DROP COLUMN IF EXISTS tsv`.execute(db);
  }

  await reindex(db);

  if (dialect === 'sqlite') {
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_docs', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')`.execute(db);
    await sql`CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
      INSERT INTO search_fts(rowid, terms) VALUES (new.rowid, new.terms); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.rowid, old.terms); END`.execute(db);
    await sql`CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
      INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.rowid, old.terms);
      INSERT INTO search_fts(rowid, terms) VALUES (new.rowid, new.terms); END`.execute(db);
    await sql`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`.execute(db);
  } else {
    // Terms are already stems: no parser, no dictionary, exactly the tokens SQLite indexes.
    await sql`ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))) STORED`.execute(db);
    await sql`CREATE INDEX search_docs_tsv ON search_docs USING gin(tsv)`.execute(db);
  }
}

/** Computes `terms` for every document, a batch at a time in rowid order. */
async function reindex(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = (await sql<{ rowid: number | string; title: string; body: string }>`SELECT rowid, title, body FROM search_docs WHERE rowid > ${after} ORDER BY rowid LIMIT 500`.execute(db)).rows;
    if (rows.length === 0) return;
    for (const r of rows) await sql`UPDATE search_docs SET terms = ${docTerms(r.title, r.body)} WHERE rowid = ${r.rowid}`.execute(db);
    after = Number(rows[rows.length - 1].rowid);
  }
}
