import snowball from 'snowball-stemmers';

/**
 * Search terms, computed in JavaScript so SQLite (FTS5) and PostgreSQL (tsvector) index and
 * match exactly the same tokens: "affiches" finds "affiche", "vergaderingen" finds
 * "vergadering", "meetings" finds "meeting", "mangeons" finds "manger", "reunion" finds
 * "réunion".
 *
 * Which language? An association here writes in French, Dutch and English, often in the same
 * discussion, and neither the author's interface language nor the group says which one a
 * text is in; a searcher types in any of them. So every word is stemmed by the three Snowball
 * stemmers and all its stems are indexed (de-duplicated); a query word is stemmed the same
 * way and matches a document holding any one of its stems. The price is a few more matches
 * across languages (English "pain" and French "pain" meet), which search can afford.
 *
 * Accents never matter: words and stems are folded (lower case, diacritics removed, œ → oe),
 * and each word is stemmed both as written and folded, since a stemmer may treat "mangé" and
 * "mange" differently. Whole words are matched, as before stemming (no prefix search).
 *
 * Stored documents keep the terms computed when they were indexed: changing how terms are
 * made needs a migration that re-indexes, as migration 010 does.
 */

const STEMMERS = (['french', 'dutch', 'english'] as const).map((l) => snowball.newStemmer(l));
const french = STEMMERS[0];
/** Letters and digits: what counts as a word, on both engines. */
const WORD = /[\p{L}\p{N}]+/gu;
/** Longer "words" are codes, hashes or URLs' innards: not worth indexing. */
const MAX_WORD = 60;
/** At most this many words of a query are used (AND-ed). */
export const MAX_QUERY_WORDS = 12;

/** Lower case without diacritics: "Réunion" → "reunion", "cœur" → "coeur". */
export function fold(s: string): string {
  return s.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}+/gu, '');
}

/** The words of a text with their offsets (the text is NFC-normalised first, as snippets show it). */
export function wordsOf(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.normalize('NFC').matchAll(WORD)) out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const cache = new Map<string, readonly string[]>();

/**
 * The folded stems of one word in French, Dutch and English, de-duplicated. Snowball's French
 * stemmer keeps the "-ons" of the present tense ("mangeons" → "mangeon") because nouns end the
 * same way ("maisons"); the stem of the matching infinitive is added too ("mangeons" →
 * "manger" → "mang"), so a verb is found in the form people write in minutes.
 */
export function stemsOf(word: string): readonly string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const lower = word.toLowerCase();
  const folded = fold(word);
  let out: string[] = [];
  if (folded.length > 0 && folded.length <= MAX_WORD) {
    const set = new Set<string>();
    for (const s of STEMMERS) {
      set.add(fold(s.stem(lower)));
      if (folded !== lower) set.add(fold(s.stem(folded)));
    }
    if (folded.length >= 6 && folded.endsWith('ons') && !folded.endsWith('ions')) {
      // mangeons → manger, commençons → commencer, parlons → parler
      const base = lower.slice(0, -3).replace(/ge$/, 'g').replace(/ç$/, 'c');
      set.add(fold(french.stem(`${base}er`)));
    }
    set.delete('');
    out = [...set];
  }
  if (cache.size > 50_000) cache.clear();
  cache.set(word, out);
  return out;
}

/** What a document is indexed by: the stems of all its words, de-duplicated, space-separated. */
export function indexTerms(text: string): string {
  const set = new Set<string>();
  for (const { word } of wordsOf(text)) for (const s of stemsOf(word)) set.add(s);
  return [...set].join(' ');
}

/** The terms of a search row: its title and plain text (the migration that re-indexes uses it too). */
export function docTerms(title: string, text: string): string {
  return indexTerms(`${title} ${text}`);
}

/** A query as stems: one list per word (any of them matches that word); all words must match. */
export function queryTerms(q: string): string[][] {
  const out: string[][] = [];
  for (const { word } of wordsOf(q)) {
    const stems = stemsOf(word);
    if (stems.length) out.push([...stems]);
    if (out.length === MAX_QUERY_WORDS) break;
  }
  return out;
}

/** The same query for SQLite FTS5: `("a" OR "b") AND ("c")`. Stems hold only letters and digits. */
export function ftsMatch(terms: string[][]): string {
  return terms.map((alts) => `(${alts.map((s) => `"${s}"`).join(' OR ')})`).join(' AND ');
}

/** The same query as PostgreSQL tsquery text: `('a' | 'b') & ('c')`, cast with `::tsquery` (no parser). */
export function tsQuery(terms: string[][]): string {
  return terms.map((alts) => `(${alts.map((s) => `'${s}'`).join(' | ')})`).join(' & ');
}

/** One part of a result snippet: original text, marked when it is a matching word. */
export type SnippetPart = { text: string; hit: boolean };

/**
 * A snippet of the original text around the matching words (the window of `size` words that
 * holds the most of them), the words that match any query stem marked; "…" where cut.
 * Empty when nothing in `text` matches.
 */
export function snippetOf(text: string, terms: string[][], size = 24): SnippetPart[] {
  const wanted = new Set(terms.flat());
  const src = text.normalize('NFC');
  const words = wordsOf(src);
  const hits: number[] = [];
  words.forEach((w, i) => {
    if (stemsOf(w.word).some((s) => wanted.has(s))) hits.push(i);
  });
  if (hits.length === 0) return [];
  // The window with the most hits, starting a few words before one of them.
  let best = { start: 0, count: -1 };
  for (const h of hits) {
    const start = Math.max(0, Math.min(h - 3, words.length - size));
    const count = hits.filter((x) => x >= start && x < start + size).length;
    if (count > best.count) best = { start, count };
  }
  const first = best.start;
  const last = Math.min(words.length, first + size) - 1;
  const hitSet = new Set(hits);
  const parts: SnippetPart[] = [];
  const push = (t: string, hit: boolean) => {
    if (!t) return;
    const prev = parts[parts.length - 1];
    if (prev && prev.hit === hit && !hit) prev.text += t;
    else parts.push({ text: t, hit });
  };
  if (first > 0) push('…', false);
  let pos = first > 0 ? words[first].start : 0;
  for (let i = first; i <= last; i++) {
    push(src.slice(pos, words[i].start), false);
    push(src.slice(words[i].start, words[i].end), hitSet.has(i));
    pos = words[i].end;
  }
  if (last < words.length - 1) push(`${src.slice(pos, words[last + 1].start).trimEnd()}…`, false);
  else push(src.slice(pos), false);
  return parts;
}
