// npm run bench:bm25 — BM25 query cost at 10k and 100k chunks, three variants on the same chunks in the same run:
//   ours:    core/store/fulltext.ts (analysed terms, FTS5 pool of max(4K, 400), exact Okapi BM25 with k1/b);
//   fts5:    FTS5's bm25() alone on the same analysed index (what the pool costs by itself);
//   release: the first release's index and query (unicode61 over raw text, bm25(), unique words, no stems).
// Chunk texts are real Cranfield sentences recombined, as in bench:query. K = 100, 40 Cranfield questions.
// Flags: --quick (10k only).
import Database from 'better-sqlite3';
import { parseArgs } from 'node:util';
import { eng, jpn } from 'stopword';
import { openDb } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { bm25Search, ftsQuery } from '../../core/store/fulltext.js';
import { tempDir } from '../support/temp.js';
import { cranfieldDocs, cranfieldQueries, percentile, round } from './corpus.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const sizes = values.quick ? [10_000] : [10_000, 100_000];
const K = 100;
const sentences = cranfieldDocs().flatMap((d) => d.text.split(/(?<=\.)\s+/)).filter((s) => s.length > 20);
const questions = cranfieldQueries().slice(0, 40);
const STOP = new Set([...eng, ...jpn]);
/** The first release's query: lower-cased words, stopwords out, unique, at most 64. */
const releaseQuery = (q: string) => {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const content = words.filter((w) => !STOP.has(w));
  return [...new Set(content.length ? content : words)].slice(0, 64).map((w) => `"${w}"`).join(' OR ');
};

const results: Record<string, unknown>[] = [];
for (const size of sizes) {
  let rng = 12345;
  const rand = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const db = openDb(tempDir('localrag-bench-bm25-'));
  const release = new Database(':memory:');
  release.exec(`CREATE TABLE c(id INTEGER PRIMARY KEY, text TEXT);
    CREATE VIRTUAL TABLE f USING fts5(text, content='c', content_rowid='id', tokenize='unicode61 remove_diacritics 2');`);
  const insert = release.prepare('INSERT INTO c(id, text) VALUES (?, ?)');
  const indexStart = performance.now();
  let releaseMs = 0;
  for (let d = 0; d < size / 100; d++) {
    const chunks = Array.from({ length: 100 }, () => {
      const text = Array.from({ length: 4 }, () => sentences[Math.floor(rand() * sentences.length)]).join(' ');
      return { text, charStart: 0, charEnd: text.length, page: null, headingPath: [], tokenCount: 64 };
    });
    const { added } = replaceDocument(db, { path: `/bench/doc${d}.txt`, folder: '/bench', hash: String(d), size: 1, mtimeMs: 1 }, chunks, 'bench');
    const r0 = performance.now();
    release.transaction(() => chunks.forEach((c, i) => insert.run(added[i], c.text)))();
    releaseMs += performance.now() - r0;
  }
  const oursIndexMs = performance.now() - indexStart - releaseMs;
  release.exec(`INSERT INTO f(f) VALUES ('rebuild')`);
  const fts5 = db.prepare('SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY bm25(chunks_fts) LIMIT ?');
  const old = release.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f) LIMIT ?');
  const variants: Record<string, (q: string) => unknown> = {
    ours: (q) => bm25Search(db, q, K),
    fts5: (q) => fts5.all(ftsQuery(q), K),
    release: (q) => old.all(releaseQuery(q), K),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  // Round 0 warms the caches; the variants take turns on each question so that machine noise hits them alike.
  for (let round = 0; round < 2; round++) {
    for (const q of questions) {
      for (const [name, run] of Object.entries(variants)) {
        const start = performance.now();
        run(q);
        if (round) times[name]!.push(performance.now() - start);
      }
    }
  }
  const row = {
    chunks: size, indexMs: round(oursIndexMs),
    p50Ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(percentile(v, 50))])),
    p90Ms: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(percentile(v, 90))])),
    oursToRelease: round(percentile(times.ours!, 50) / percentile(times.release!, 50), 2),
  };
  console.log(`${size} chunks: p50 ${JSON.stringify(row.p50Ms)} ms, ours/release ${row.oursToRelease}`);
  results.push(row);
  db.close();
  release.close();
}
console.log(`BENCH_SUMMARY ${JSON.stringify({ bench: 'bm25', k: K, queries: questions.length, sizes: results })}`);
