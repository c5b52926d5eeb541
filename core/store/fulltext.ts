// BM25 over chunk text with SQLite FTS5.
import { eng, jpn } from 'stopword';
import type { Db } from './db.js';

// Function words match nearly every chunk: OR-ing them in costs most of BM25's time at 100k chunks and adds
// almost nothing to the ranking (their idf is near zero).
const STOPWORDS = new Set([...eng, ...jpn]);

/** Turns a free-text question into an FTS5 query that cannot be a syntax error: its words, OR-ed and quoted. */
export function ftsQuery(question: string): string | null {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const content = words.filter((w) => !STOPWORDS.has(w));
  const unique = [...new Set(content.length ? content : words)].slice(0, 64);
  return unique.length ? unique.map((w) => `"${w}"`).join(' OR ') : null;
}

/** Top-k chunks by BM25; FTS5's bm25() is lower-is-better, so the score is negated (higher is better). */
export function bm25Search(db: Db, question: string, k: number): { chunkId: number; score: number }[] {
  const q = ftsQuery(question);
  if (!q) return [];
  const rows = db.prepare(`SELECT rowid AS id, bm25(chunks_fts) AS s FROM chunks_fts WHERE chunks_fts MATCH ?
    ORDER BY s LIMIT ?`).all(q, k) as { id: number; s: number }[];
  return rows.map((r) => ({ chunkId: r.id, score: -r.s }));
}
