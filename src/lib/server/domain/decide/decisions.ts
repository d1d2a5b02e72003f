import { sql } from 'kysely';
import type { Tx } from '../../db/connect';
import type { DecisionsTable } from '../../db/schema';
import { newId } from '../../kernel/ids';
import { recordEvent } from '../../kernel/outbox';
import { parse } from '../../kernel/validate';
import { markdownToText } from '../../markdown';
import { authorize, type Actor } from '../../policy';
import { docTerms, ftsMatch, queryTerms, snippetOf, tsQuery, type SnippetPart } from '../discussions/search-terms';
import type { Ctx } from './context';
import { groupBySlugOr404, groupFactsOf, markdown } from './repo';
import { DecisionsInput } from './schemas';

export type DecisionKind = DecisionsTable['kind'];

/**
 * Writes (or rewrites) the decision log's line for one outcome: a proposal's or a poll's
 * statement at closing, a date poll's chosen date, a decision recorded in a meeting's
 * minutes. One line per source (kind + id); indexed for search like discussions (the same
 * stems, in `search_docs`), in the writer's transaction.
 */
export async function recordDecision(tx: Tx, d: { groupId: string; kind: DecisionKind; sourceId: string; title: string; statement: string; url: string; decidedAt: string; recordedBy: string | null; at: Date }): Promise<string> {
  const existing = await tx.selectFrom('decisions').select('id').where('kind', '=', d.kind).where('sourceId', '=', d.sourceId).executeTakeFirst();
  const id = existing?.id ?? newId();
  const row = { title: d.title, statement: d.statement, statementHtml: markdown(d.statement), url: d.url, decidedAt: d.decidedAt, recordedBy: d.recordedBy };
  if (existing) await tx.updateTable('decisions').set(row).where('id', '=', id).execute();
  else await tx.insertInto('decisions').values({ id, groupId: d.groupId, kind: d.kind, sourceId: d.sourceId, ...row, createdAt: d.at.toISOString() }).execute();
  const body = markdownToText(d.statement).slice(0, 20_000);
  const terms = docTerms(d.title, body);
  const doc = await tx.selectFrom('searchDocs').select('rowid').where('docId', '=', id).executeTakeFirst();
  if (doc) await tx.updateTable('searchDocs').set({ title: d.title, body, terms, createdAt: d.decidedAt }).where('docId', '=', id).execute();
  else await tx.insertInto('searchDocs').values({ docId: id, kind: 'decision', groupId: d.groupId, discussionId: id, title: d.title, body, terms, createdAt: d.decidedAt }).execute();
  await recordEvent(tx, { type: 'decision.recorded', groupId: d.groupId, actorId: d.recordedBy, data: { decisionId: id } }, d.at);
  return id;
}

/** Removes a source's line from the log (a meeting decision erased from the minutes). */
export async function dropDecision(tx: Tx, kind: DecisionKind, sourceId: string): Promise<void> {
  const row = await tx.selectFrom('decisions').select('id').where('kind', '=', kind).where('sourceId', '=', sourceId).executeTakeFirst();
  if (!row) return;
  await tx.deleteFrom('searchDocs').where('docId', '=', row.id).execute();
  await tx.deleteFrom('decisions').where('id', '=', row.id).execute();
}

export type DecisionView = { id: string; kind: DecisionKind; title: string; statementHtml: string; snippet: SnippetPart[] | null; url: string; decidedAt: string };

/** A group's decision log, newest first, searchable; only for those who may read the group. */
export function createDecisions(ctx: Ctx) {
  const { db, dialect } = ctx.deps;
  return {
    /** The log (keyset-paged by decision time), or, with `q`, the decisions whose title or statement match (stems, any language). */
    async decisions(actor: Actor, raw: unknown) {
      const input = parse(DecisionsInput, raw);
      const g = await groupBySlugOr404(db, input.groupSlug);
      authorize(actor, 'group.read', groupFactsOf(g));
      const [afterAt, afterId] = (input.after ?? '').split('|');
      let q = db.selectFrom('decisions as d').select(['d.id', 'd.kind', 'd.title', 'd.statement', 'd.statementHtml', 'd.url', 'd.decidedAt']).where('d.groupId', '=', g.id);
      const terms = queryTerms(input.q);
      if (input.q && terms.length === 0) return { group: { id: g.id, slug: g.slug, name: g.name }, q: input.q, items: [] as DecisionView[], next: null };
      if (terms.length)
        q = q.where(
          dialect === 'sqlite'
            ? sql<boolean>`d.id IN (SELECT sd.doc_id FROM search_docs sd JOIN search_fts ON search_fts.rowid = sd.rowid WHERE sd.kind = 'decision' AND sd.group_id = ${g.id} AND search_fts MATCH ${ftsMatch(terms)})`
            : sql<boolean>`d.id IN (SELECT sd.doc_id FROM search_docs sd WHERE sd.kind = 'decision' AND sd.group_id = ${g.id} AND sd.tsv @@ ${tsQuery(terms)}::tsquery)`,
        );
      if (afterAt && afterId) q = q.where((eb) => eb.or([eb('d.decidedAt', '<', afterAt), eb.and([eb('d.decidedAt', '=', afterAt), eb('d.id', '<', afterId)])]));
      const rows = await q.orderBy('d.decidedAt', 'desc').orderBy('d.id', 'desc').limit(input.limit + 1).execute();
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      return {
        group: { id: g.id, slug: g.slug, name: g.name },
        q: input.q,
        items: page.map((r): DecisionView => ({ id: r.id, kind: r.kind, title: r.title, statementHtml: r.statementHtml, snippet: terms.length ? snippetOf(markdownToText(r.statement), terms) : null, url: r.url, decidedAt: r.decidedAt })),
        next: rows.length > input.limit && last ? `${last.decidedAt}|${last.id}` : null,
      };
    },
  };
}
