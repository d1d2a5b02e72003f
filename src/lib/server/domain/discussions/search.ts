import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema';
import type { Tx } from '../../db/connect';
import type { Deps } from '../../kernel/deps';
import type { DiscussionId, GroupId } from '../../kernel/ids';
import { parse } from '../../kernel/validate';
import { markdownToText } from '../../markdown';
import { groupReadBy, type Actor } from '../../policy';
import { SearchInput } from './schemas';
import { docTerms, ftsMatch, queryTerms, snippetOf, tsQuery, type SnippetPart } from './search-terms';

/**
 * Full-text search over discussions, comments, tasks and task comments. One `search_docs` row per live item, with
 * its original title and text (for snippets) and its `terms`: the French, Dutch and English
 * stems of its words, computed here (`search-terms.ts`) so both engines match the same
 * tokens. SQLite indexes `terms` with FTS5 (triggers keep `search_fts` in sync), PostgreSQL
 * with a generated tsvector. Results are filtered in SQL with `groupReadBy`, so a searcher
 * never sees, nor can count, what they may not read.
 */

/**
 * Indexes (or re-indexes) one discussion, comment, task or task comment, inside the writer's
 * transaction. A task's documents name it in `taskId` (their `discussionId` is '').
 */
export async function indexItem(tx: Tx, doc: { docId: string; kind: 'discussion' | 'comment' | 'task' | 'task_comment'; groupId: string; discussionId: string; taskId?: string | null; title: string; body: string; createdAt: string }) {
  const body = markdownToText(doc.body).slice(0, 20_000);
  const terms = docTerms(doc.title, body);
  const existing = await tx.selectFrom('searchDocs').select('rowid').where('docId', '=', doc.docId).executeTakeFirst();
  if (existing) await tx.updateTable('searchDocs').set({ title: doc.title, body, terms }).where('docId', '=', doc.docId).execute();
  else await tx.insertInto('searchDocs').values({ ...doc, taskId: doc.taskId ?? null, body, terms }).execute();
}
/** Drops one item from search (a deleted comment), in the writer's transaction. */
export async function unindexItem(tx: Tx, docId: string) {
  await tx.deleteFrom('searchDocs').where('docId', '=', docId).execute();
}
/** Drops a task and its comments from search, in the writer's transaction. */
export async function unindexTask(tx: Tx, taskId: string) {
  await tx.deleteFrom('searchDocs').where('taskId', '=', taskId).execute();
}
/** Drops a discussion and all its comments from search, in the writer's transaction. */
export async function unindexDiscussion(tx: Tx, discussionId: string) {
  await tx.deleteFrom('searchDocs').where('discussionId', '=', discussionId).execute();
}

/** A query made safe for FTS5: each word's stems quoted and OR-ed, words AND-ed; '' when no word. */
export function ftsQuery(q: string): string {
  return ftsMatch(queryTerms(q));
}

export type SearchHit = {
  kind: 'discussion' | 'comment' | 'task' | 'task_comment';
  id: string;
  /** The discussion of a discussion or comment hit; null for tasks. */
  discussionId: DiscussionId | null;
  /** The task of a task or task comment hit; null for discussions. */
  taskId: string | null;
  title: string;
  group: { id: GroupId; slug: string; name: string };
  /** The snippet, split into plain parts and matched parts (rendered as text, never HTML). */
  snippet: SnippetPart[];
  createdAt: string;
  url: string;
};

/** The original words around the matches: in the text, else in the title. */
function snippet(title: string, text: string, terms: string[][]): SnippetPart[] {
  const inText = snippetOf(text, terms);
  return inText.length ? inText : snippetOf(title, terms);
}

/** Where a hit opens: the discussion or task, at the reply or comment. */
function hitUrl(r: { kind: string; docId: string; discussionId: string; taskId?: string | null }): string {
  if (r.kind === 'task') return `/tasks/${r.docId}`;
  if (r.kind === 'task_comment') return `/tasks/${r.taskId}#tc-${r.docId}`;
  return r.kind === 'comment' ? `/d/${r.discussionId}?comment=${r.docId}#c-${r.docId}` : `/d/${r.discussionId}`;
}

type SearchFrom = Database & { sd: Database['searchDocs'] };
/** From this many matches on, a search walks its matches by date instead of looking up every match. */
const COMMON = 2000;
/** Up to this many readable groups, SQLite merges their walks (a compound select has at most 500 parts). */
const MERGED_GROUPS = 400;
/** A position in the newest-first order of matches. */
type Cursor = { at: string; row: number };

/** The search use case: what the actor may read, on either engine, with the same matches. */
export function createSearch(deps: Deps) {
  const { db, dialect } = deps;

  /** Matches of `terms` after `cursor` (keyset on createdAt, rowid), newest first. */
  function matching<Q extends SelectQueryBuilder<SearchFrom, 'sd', object>>(q: Q, terms: string[][], cursor: Cursor | null): Q {
    let out = q as unknown as SelectQueryBuilder<SearchFrom, 'sd', object>;
    if (dialect === 'sqlite') {
      out = out
        .innerJoin(sql<{ rowid: number }>`search_fts`.as('search_fts'), (j) => j.onRef('search_fts.rowid', '=', 'sd.rowid'))
        .where(sql<boolean>`search_fts MATCH ${ftsMatch(terms)}`) as unknown as typeof out;
    } else {
      out = out.where(sql<boolean>`sd.tsv @@ ${tsQuery(terms)}::tsquery`);
    }
    if (cursor) out = out.where((eb) => eb.or([eb('sd.createdAt', '<', cursor.at), eb.and([eb('sd.createdAt', '=', cursor.at), eb('sd.rowid', '<', cursor.row)])]));
    return out.orderBy('sd.createdAt', 'desc').orderBy('sd.rowid', 'desc') as unknown as Q;
  }

  /** Documents the actor may read (in a live discussion or task), with what a hit shows. */
  function readable(actor: Actor) {
    return db
      .selectFrom('searchDocs as sd')
      .innerJoin('groups', 'groups.id', 'sd.groupId')
      .leftJoin('discussions', 'discussions.id', 'sd.discussionId')
      .leftJoin('tasks', 'tasks.id', 'sd.taskId')
      .select(['sd.rowid', 'sd.kind', 'sd.docId', 'sd.discussionId', 'sd.taskId', 'sd.createdAt', 'sd.title as docTitle', 'sd.body as docBody', 'discussions.title as discussionTitle', 'tasks.title as taskTitle', 'groups.id as groupId', 'groups.slug', 'groups.name'])
      // Tasks are read like their group (`task.read`), as discussions are.
      .where(() => groupReadBy(actor, null as never, 'sd.groupId', 'groups.visibility'))
      .where((eb) => eb.or([eb.and([eb('discussions.id', 'is not', null), eb('discussions.deletedAt', 'is', null)]), eb.and([eb('tasks.id', 'is not', null), eb('tasks.deletedAt', 'is', null)])]));
  }
  type Row = Awaited<ReturnType<ReturnType<typeof readable>['execute']>>[number];

  /**
   * A word found in many texts: the next `size` matches after `cursor` in groups the actor may
   * read, as bare (rowid, createdAt) pairs, newest first, without looking up every match.
   * SQLite walks each readable group's (group_id, created_at, rowid) index (migration 017)
   * newest first, merged into one order, against the set of matching rowids, and stops after
   * `size` (its planner would rather drive from the match; `INDEXED BY` says otherwise); the
   * newest texts of groups the reader cannot read are never read (with more groups than a
   * compound select takes, it walks its (created_at, group_id) index). PostgreSQL takes, in each readable group, its
   * newest `size` matches from the (group_id, created_at, rowid) index (migration 016) and keeps the
   * newest `size` of them all: a few thousand rows read instead of sorting every match.
   */
  async function newestMatches(actor: Actor, terms: string[][], cursor: Cursor | null, size: number) {
    const groups = db.selectFrom('groups').select('groups.id').where(() => groupReadBy(actor, null as never, 'groups.id', 'groups.visibility'));
    const after = cursor ? sql`AND (sd.created_at < ${cursor.at} OR (sd.created_at = ${cursor.at} AND sd.rowid < ${cursor.row}))` : sql``;
    if (dialect === 'postgres') {
      const ids = (await groups.execute()).map((g) => g.id);
      // The planner, estimating few matches per group (it takes words as independent), would
      // rather read a whole group and sort it; this transaction tells it to walk the ordered
      // index (and not to compile the query, which the penalties would otherwise trigger).
      return db.transaction().execute(async (tx) => {
        await sql`SET LOCAL enable_bitmapscan = off`.execute(tx);
        await sql`SET LOCAL enable_sort = off`.execute(tx);
        await sql`SET LOCAL jit = off`.execute(tx);
        const r = await sql<{ rowid: number; createdAt: string }>`SELECT x.rowid, x.created_at FROM unnest(${ids}::text[]) AS g(id) CROSS JOIN LATERAL (
          SELECT sd.rowid, sd.created_at FROM search_docs AS sd WHERE sd.group_id = g.id AND sd.tsv @@ ${tsQuery(terms)}::tsquery ${after}
          ORDER BY sd.created_at DESC, sd.rowid DESC LIMIT ${size}) AS x
          ORDER BY x.created_at DESC, x.rowid DESC LIMIT ${size}`.execute(tx);
        return r.rows;
      });
    }
    const ids = (await groups.execute()).map((g) => g.id);
    if (ids.length === 0) return [];
    if (ids.length > MERGED_GROUPS) {
      const r = await sql<{ rowid: number; createdAt: string }>`SELECT sd.rowid AS rowid, sd.created_at AS created_at FROM search_docs AS sd INDEXED BY search_docs_created
        WHERE sd.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ${ftsMatch(terms)}) AND sd.group_id IN (${sql.join(ids)}) ${after}
        ORDER BY sd.created_at DESC, sd.rowid DESC LIMIT ${size}`.execute(db);
      return r.rows;
    }
    // One ordered walk per readable group, merged by SQLite as it reads them (a compound
    // select in the same order as its parts' index), filtered by the set of matching rowids
    // (built once), stopped after `size`.
    const perGroup = sql.join(
      ids.map((id) => sql`SELECT sd.rowid AS rowid, sd.created_at AS created_at FROM search_docs AS sd INDEXED BY search_docs_group_created WHERE sd.group_id = ${id} ${after}`),
      sql` UNION ALL `,
    );
    const r = await sql<{ rowid: number; createdAt: string }>`WITH m AS MATERIALIZED (SELECT rowid FROM search_fts WHERE search_fts MATCH ${ftsMatch(terms)})
      SELECT w.rowid AS rowid, w.created_at AS created_at FROM (${perGroup} ORDER BY 2 DESC, 1 DESC) AS w WHERE w.rowid IN m LIMIT ${size}`.execute(db);
    return r.rows;
  }

  /**
   * Whether a search is for a common word (`COMMON` matches or more), which is walked (above).
   * SQLite counts its matches up to `COMMON` from the full-text index alone; PostgreSQL asks
   * its planner's estimate (the tsvector's statistics), since counting there reads the rows.
   * Either way only speed depends on the answer: both ways give the same hits.
   */
  async function isCommon(terms: string[][]): Promise<boolean> {
    if (dialect === 'sqlite') return (await sql<{ rowid: number }>`SELECT rowid FROM search_fts WHERE search_fts MATCH ${ftsMatch(terms)} LIMIT ${COMMON}`.execute(db)).rows.length >= COMMON;
    const plan = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`EXPLAIN (FORMAT JSON) SELECT 1 FROM search_docs WHERE tsv @@ ${tsQuery(terms)}::tsquery`.execute(db);
    return (plan.rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'] ?? 0) >= COMMON;
  }

  /**
   * The first `want` readable matches after `cursor`, newest first. One query over all the
   * matches (joined, filtered, sorted) costs a look-up per match: fine for a few thousand,
   * seconds for a common word at a million texts. Such a word is walked in two
   * batches newest first (in groups the actor may read), each checked against all
   * the rules of reading (a live discussion or task); only if they still leave the page
   * short (many matches in deleted items) does the one query finish it. Batches are consecutive ranges of the same order, so the hits are
   * exactly those of the one query.
   */
  async function firstReadable(actor: Actor, terms: string[][], cursor: Cursor | null, want: number): Promise<Row[]> {
    const common = await isCommon(terms);
    const rows: Row[] = [];
    if (common) {
      for (const size of [Math.max(4 * want, 100), 16 * Math.max(4 * want, 100)]) {
        const batch = await newestMatches(actor, terms, cursor, size);
        if (batch.length > 0) {
          rows.push(...(await readable(actor).where('sd.rowid', 'in', batch.map((c) => c.rowid)).orderBy('sd.createdAt', 'desc').orderBy('sd.rowid', 'desc').execute()));
          const last = batch[batch.length - 1];
          cursor = { at: last.createdAt, row: Number(last.rowid) };
        }
        if (rows.length >= want) return rows.slice(0, want);
        if (batch.length < size) return rows;
      }
    }
    return [...rows, ...(await matching(readable(actor), terms, cursor).limit(want - rows.length).execute())];
  }

  return {
    /** Searches what the actor may read; newest first, keyset paged on (createdAt, rowid). */
    async search(actor: Actor, raw: unknown): Promise<{ q: string; hits: SearchHit[]; next: string | null }> {
      const input = parse(SearchInput, raw);
      const terms = queryTerms(input.q);
      if (terms.length === 0) return { q: input.q, hits: [], next: null };
      const [afterAt, afterRow] = (input.after ?? '').split('|');
      const cursor: Cursor | null = afterAt && afterRow && /^\d+$/.test(afterRow) ? { at: afterAt, row: Number(afterRow) } : null;
      const rows = await firstReadable(actor, terms, cursor, input.limit + 1);
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      return {
        q: input.q,
        hits: page.map((r) => ({
          // Decisions of the decision log share the index but join no discussion or task: they never come back here.
          kind: r.kind as SearchHit['kind'],
          id: r.docId,
          discussionId: r.discussionId ? (r.discussionId as DiscussionId) : null,
          taskId: r.taskId ?? null,
          title: r.discussionTitle ?? r.taskTitle ?? '',
          group: { id: r.groupId as GroupId, slug: r.slug, name: r.name },
          snippet: snippet(r.docTitle, r.docBody, terms),
          createdAt: r.createdAt,
          url: hitUrl(r),
        })),
        next: rows.length > input.limit && last ? `${last.createdAt}|${last.rowid}` : null,
      };
    },
  };
}
