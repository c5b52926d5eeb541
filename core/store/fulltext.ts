// BM25 over chunk text with SQLite FTS5 as the inverted index and Okapi BM25 scored here, so k1 and b can be set.
//
// What is indexed: each chunk's analysed terms (core/store/text-terms.ts: stemmed English, segmented Japanese and
// Chinese, no stopwords), stored in chunk_terms by a trigger through the SQL function localrag_fts_terms, which every
// connection registers (openDb). FTS5's unicode61 tokenizer then only splits on the spaces between terms.
//
// How a question is scored: FTS5 finds the chunks holding any query term and ranks them with its built-in bm25()
// (k1 1.2, b 0.75, fixed); the first max(4K, 400) of those are re-scored exactly with
//   sum over query terms t of  w(qtf) * idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
//   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))   (Lucene's, never negative)
//   w(qtf) = (k3 + 1) * qtf / (k3 + qtf), k3 = 1     (Okapi's query-term saturation, Xapian's default k3)
// with k1 = 1.2 and b = 0.75 by default (Robertson and Zaragoza 2009; Lucene's defaults). The pool is where the
// exact scoring could differ from an exhaustive one: at 100k chunks and K = 100 the top 100 were identical for all
// 40 benchmark questions with the default k1/b (see README, "BM25").
import type { Db } from './db.js';
import { textTerms } from './text-terms.js';

export const FTS_TERMS_FUNCTION = 'localrag_fts_terms';
/** SQL for the number of space-separated terms in a column (0 for an empty one). */
const TERM_COUNT = (col: string) => `(length(${col}) - length(replace(${col}, ' ', '')) + (${col} <> ''))`;
const K3 = 1;

export interface Bm25Options {
  k1?: number;
  b?: number;
}

/** Registers the analysis as an SQL function; every connection that writes chunks needs it (the FTS triggers call it). */
export function registerFulltext(db: Db): void {
  db.function(FTS_TERMS_FUNCTION, { deterministic: true }, (text: unknown) => textTerms(typeof text === 'string' ? text : '').join(' '));
}

/**
 * The full-text schema: each chunk's analysed terms in chunk_terms (kept by triggers on chunks), FTS5 over them as
 * external content, and FTS5's per-term statistics. The stored terms give exact term frequencies and lengths for the
 * re-scored pool, and make FTS5's deletes exact whatever the analysis does in a later version.
 */
export const FULLTEXT_SCHEMA = `
CREATE TABLE chunk_terms (chunk_id INTEGER PRIMARY KEY, terms TEXT NOT NULL, len INTEGER NOT NULL);
CREATE VIRTUAL TABLE chunks_fts USING fts5(terms, content='chunk_terms', content_rowid='chunk_id',
  tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
CREATE VIRTUAL TABLE chunks_fts_terms USING fts5vocab(chunks_fts, row);
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunk_terms(chunk_id, terms, len) SELECT new.id, t, ${TERM_COUNT('t')} FROM (SELECT ${FTS_TERMS_FUNCTION}(new.text) AS t);
  INSERT INTO chunks_fts(rowid, terms) SELECT chunk_id, terms FROM chunk_terms WHERE chunk_id = new.id;
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, terms) SELECT 'delete', chunk_id, terms FROM chunk_terms WHERE chunk_id = old.id;
  DELETE FROM chunk_terms WHERE chunk_id = old.id;
END;
CREATE TRIGGER chunks_au AFTER UPDATE OF text ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, terms) SELECT 'delete', chunk_id, terms FROM chunk_terms WHERE chunk_id = old.id;
  DELETE FROM chunk_terms WHERE chunk_id = old.id;
  INSERT INTO chunk_terms(chunk_id, terms, len) SELECT new.id, t, ${TERM_COUNT('t')} FROM (SELECT ${FTS_TERMS_FUNCTION}(new.text) AS t);
  INSERT INTO chunks_fts(rowid, terms) SELECT chunk_id, terms FROM chunk_terms WHERE chunk_id = new.id;
END;
`;

/**
 * Replaces the full-text index (whatever its earlier form) with the current one: analyses every chunk in batches,
 * reporting progress, then builds FTS5 from the stored terms. Runs inside the caller's transaction (a migration).
 */
export function rebuildFulltext(db: Db, onProgress: (done: number, total: number) => void = () => {}): void {
  db.exec(`DROP TRIGGER IF EXISTS chunks_ai; DROP TRIGGER IF EXISTS chunks_ad; DROP TRIGGER IF EXISTS chunks_au;
    DROP TABLE IF EXISTS chunks_fts_terms; DROP TABLE IF EXISTS chunks_fts; DROP TABLE IF EXISTS chunk_terms;`);
  db.exec(FULLTEXT_SCHEMA);
  const total = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
  const nextIds = db.prepare('SELECT id FROM chunks WHERE id > ? ORDER BY id LIMIT 2000').pluck();
  const fill = db.prepare(`INSERT INTO chunk_terms(chunk_id, terms, len) SELECT id, t, ${TERM_COUNT('t')}
    FROM (SELECT id, ${FTS_TERMS_FUNCTION}(text) AS t FROM chunks WHERE id BETWEEN ? AND ?)`);
  let done = 0;
  for (let last = -1; ;) {
    const ids = nextIds.all(last) as number[];
    if (ids.length === 0) break;
    fill.run(ids[0], ids.at(-1));
    done += ids.length;
    last = ids.at(-1)!;
    onProgress(done, total);
  }
  db.exec(`INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')`);
}

/** Turns a free-text question into an FTS5 query that cannot be a syntax error: its terms, quoted and OR-ed. */
export function ftsQuery(question: string): string | null {
  const terms = textTerms(question);
  return terms.length ? terms.map((t) => `"${t}"`).join(' OR ') : null;
}

/** N and the average chunk length in terms, from FTS5's own running totals (its averages record). */
function collectionStats(db: Db): { n: number; avgdl: number } {
  const blob = db.prepare('SELECT block FROM chunks_fts_data WHERE id = 1').pluck().get() as Buffer | undefined;
  if (!blob || blob.length === 0) return { n: 0, avgdl: 0 };
  // SQLite varints: big-endian groups of 7 bits, high bit set on all but the last byte (9th byte: 8 bits).
  let pos = 0;
  const varint = () => {
    let v = 0;
    for (let i = 0; i < 9 && pos < blob.length; i++) {
      const byte = blob[pos++]!;
      if (i === 8) return v * 256 + byte;
      v = v * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    return v;
  };
  const n = varint();
  const tokens = varint();
  return { n, avgdl: n > 0 ? tokens / n : 0 };
}

/** Top-k chunks by Okapi BM25 (higher is better); ties go to the lower chunk id. */
export function bm25Search(db: Db, question: string, k: number, opts: Bm25Options = {}): { chunkId: number; score: number }[] {
  const k1 = opts.k1 ?? 1.2;
  const b = opts.b ?? 0.75;
  const qtf = new Map<string, number>();
  for (const t of textTerms(question)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
  if (qtf.size === 0 || k <= 0) return [];
  const { n, avgdl } = collectionStats(db);
  if (n === 0) return [];
  const dfOf = db.prepare('SELECT doc FROM chunks_fts_terms WHERE term = ?').pluck();
  const weight = new Map<string, number>();
  for (const [term, count] of qtf) {
    const df = (dfOf.get(term) as number | undefined) ?? 0;
    if (df > 0) weight.set(term, ((K3 + 1) * count / (K3 + count)) * Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  if (weight.size === 0) return [];
  // Repeated query terms are repeated phrases, so FTS5's own ranking of the pool counts them too. ORDER BY bm25()
  // measured about twice as fast as ORDER BY rank (FTS5's sorter) at 100k chunks.
  const match = [...qtf].filter(([t]) => weight.has(t)).flatMap(([t, c]) => Array<string>(c).fill(`"${t}"`)).join(' OR ');
  const pool = db.prepare(`SELECT t.chunk_id AS id, t.terms AS terms, t.len AS len FROM
    (SELECT rowid AS r FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?) x JOIN chunk_terms t ON t.chunk_id = x.r`)
    .all(match, Math.max(4 * k, 400)) as { id: number; terms: string; len: number }[];
  const needles = [...weight].map(([term, w]) => ({ needle: ` ${term} `, w }));
  const scored = pool.map(({ id, terms, len }) => {
    const norm = k1 * (1 - b + (b * len) / avgdl);
    const padded = ` ${terms} `;
    let score = 0;
    for (const { needle, w } of needles) {
      let f = 0;
      // Terms are separated by single spaces, so a padded term matches whole terms only.
      for (let at = padded.indexOf(needle); at >= 0; at = padded.indexOf(needle, at + needle.length - 1)) f++;
      if (f > 0) score += (w * f * (k1 + 1)) / (f + norm);
    }
    return { chunkId: id, score };
  });
  return scored.sort((x, y) => (y.score - x.score) || (x.chunkId - y.chunkId)).slice(0, k);
}
