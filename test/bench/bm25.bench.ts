// npm run bench:bm25 [-- --sizes 10000,100000,1000000] — BM25 query cost, variants on the same chunks, interleaved:
//   ours:    core/store/fulltext.ts: BM25's own postings, every match scored exactly (the exhaustive top K);
//   pool:    the previous release: FTS5 ranks every match with bm25(), its first max(4K, 400) are re-scored exactly;
//   fts5:    FTS5's bm25() alone over the same analysed terms (what the pool cost by itself);
//   release: the first release's index and query (unicode61 over raw text, bm25(), unique words, no stems; <= 100k).
// pool and fts5 read an FTS5 index the benchmark builds over chunk_terms (the store itself no longer has one).
// Exactness: the first --check questions' top K from `ours` against a reference that scores every chunk
// (test/support/bm25-reference.ts); pool's top-K overlap with that reference. Chunk texts are real Cranfield
// sentences recombined, as in bench:query, written through replaceDocument (so the build time includes the postings);
// nothing is embedded, so 1M chunks take minutes, not the 40 of bench:query. K = 100, 40 Cranfield questions.
// Flags: --sizes a,b (default 10000,100000), --quick (10k only), --check N (default 10).
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eng, jpn } from 'stopword';
import { openDb, type Db } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { bm25Search } from '../../core/store/fulltext.js';
import { textTerms } from '../../core/store/text-terms.js';
import { exhaustiveBm25, type Ranked } from '../support/bm25-reference.js';
import { tempDir } from '../support/temp.js';
import { cranfieldDocs, cranfieldQueries, percentile, round } from './corpus.js';
import { loadWindow } from './machine.js';

const { values } = parseArgs({ options: {
  quick: { type: 'boolean', default: false }, sizes: { type: 'string' }, check: { type: 'string', default: '10' },
} });
const sizes = values.quick ? [10_000] : (values.sizes ?? '10000,100000').split(',').map(Number);
const K = 100;
const RELEASE_UP_TO = 100_000;
const sentences = cranfieldDocs().flatMap((d) => d.text.split(/(?<=\.)\s+/)).filter((s) => s.length > 20);
const questions = cranfieldQueries().slice(0, 40);
const checked = questions.slice(0, Number(values.check));
const STOP = new Set([...eng, ...jpn]);
/** The first release's query: lower-cased words, stopwords out, unique, at most 64. */
const releaseQuery = (q: string) => {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const content = words.filter((w) => !STOP.has(w));
  return [...new Set(content.length ? content : words)].slice(0, 64).map((w) => `"${w}"`).join(' OR ');
};
const ftsQuery = (terms: string[]) => terms.map((t) => `"${t}"`).join(' OR ');

/** The previous release's scorer: FTS5's bm25() picks a pool, which is re-scored exactly (its code, condensed). */
function poolSearch(db: Db, question: string, k: number, k1 = 1.2, b = 0.75): Ranked {
  const qtf = new Map<string, number>();
  for (const t of textTerms(question)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
  const { n, length } = db.prepare('SELECT chunks AS n, length FROM bm25_totals').get() as { n: number; length: number };
  const avgdl = length / n;
  const dfOf = db.prepare('SELECT doc FROM bench_fts_terms WHERE term = ?').pluck();
  const weight = new Map<string, number>();
  for (const [term, count] of qtf) {
    const df = (dfOf.get(term) as number | undefined) ?? 0;
    if (df > 0) weight.set(term, ((2 * count) / (1 + count)) * Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }
  if (weight.size === 0) return [];
  const match = ftsQuery([...qtf].filter(([t]) => weight.has(t)).flatMap(([t, c]) => Array<string>(c).fill(t)));
  const pool = db.prepare(`SELECT t.chunk_id AS id, t.terms AS terms, t.len AS len FROM
    (SELECT rowid AS r FROM bench_fts WHERE bench_fts MATCH ? ORDER BY bm25(bench_fts) LIMIT ?) x JOIN chunk_terms t ON t.chunk_id = x.r`)
    .all(match, Math.max(4 * k, 400)) as { id: number; terms: string; len: number }[];
  return pool.map(({ id, terms, len }) => {
    const norm = k1 * (1 - b + (b * len) / avgdl);
    const padded = ` ${terms} `;
    let score = 0;
    for (const [term, w] of weight) {
      let f = 0;
      for (let at = padded.indexOf(` ${term} `); at >= 0; at = padded.indexOf(` ${term} `, at + term.length + 1)) f++;
      if (f > 0) score += (w * f * (k1 + 1)) / (f + norm);
    }
    return { chunkId: id, score };
  }).sort((x, y) => (y.score - x.score) || (x.chunkId - y.chunkId)).slice(0, k);
}

const overlap = (a: Ranked, b: Ranked) => {
  const ids = new Set(b.map((x) => x.chunkId));
  return b.length ? a.filter((x) => ids.has(x.chunkId)).length / b.length : 1;
};
const sameTopK = (a: Ranked, b: Ranked) => a.length === b.length && a.every((x, i) => x.chunkId === b[i]!.chunkId && x.score === b[i]!.score);

const results: Record<string, unknown>[] = [];
for (const size of sizes) {
  let rng = 12345;
  const rand = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const dir = tempDir('localrag-bench-bm25-');
  const db = openDb(dir);
  const withRelease = size <= RELEASE_UP_TO;
  const release = new Database(':memory:');
  release.exec(`CREATE TABLE c(id INTEGER PRIMARY KEY, text TEXT);
    CREATE VIRTUAL TABLE f USING fts5(text, content='c', content_rowid='id', tokenize='unicode61 remove_diacritics 2');`);
  const insert = release.prepare('INSERT INTO c(id, text) VALUES (?, ?)');
  let oursMs = 0;
  for (let d = 0; d < size / 100; d++) {
    const chunks = Array.from({ length: 100 }, () => {
      const text = Array.from({ length: 4 }, () => sentences[Math.floor(rand() * sentences.length)]).join(' ');
      return { text, charStart: 0, charEnd: text.length, page: null, headingPath: [], tokenCount: 64 };
    });
    const t0 = performance.now();
    const { added } = replaceDocument(db, { path: `/bench/doc${d}.txt`, folder: '/bench', hash: String(d), size: 1, mtimeMs: 1 }, chunks, 'bench');
    oursMs += performance.now() - t0;
    if (withRelease) release.transaction(() => chunks.forEach((c, i) => insert.run(added[i], c.text)))();
    if (d > 0 && d % 2000 === 0) console.error(`bench:bm25: ${d * 100} of ${size} chunks written`);
  }
  const storeMb = round(statSync(join(dir, 'localrag.sqlite')).size / 2 ** 20, 0);
  const postings = db.prepare('SELECT count(*) AS rows, sum(length(data)) AS bytes FROM bm25_postings').get() as { rows: number; bytes: number };
  // The FTS5 index the previous release kept (for pool and fts5), built here over the same analysed terms.
  const f0 = performance.now();
  db.exec(`CREATE VIRTUAL TABLE bench_fts USING fts5(terms, content='chunk_terms', content_rowid='chunk_id',
      tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
    CREATE VIRTUAL TABLE bench_fts_terms USING fts5vocab(bench_fts, row);
    INSERT INTO bench_fts(bench_fts) VALUES ('rebuild');`);
  const fts5BuildMs = performance.now() - f0;
  if (withRelease) release.exec(`INSERT INTO f(f) VALUES ('rebuild')`);
  const fts5 = db.prepare('SELECT rowid FROM bench_fts WHERE bench_fts MATCH ? ORDER BY bm25(bench_fts) LIMIT ?');
  const old = release.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f) LIMIT ?');
  const variants: Record<string, (q: string) => unknown> = {
    ours: (q) => bm25Search(db, q, K),
    pool: (q) => poolSearch(db, q, K),
    fts5: (q) => fts5.all(ftsQuery(textTerms(q)), K),
    ...(withRelease ? { release: (q: string) => old.all(releaseQuery(q), K) } : {}),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const load = loadWindow();
  // Round 0 warms the caches; the variants take turns on each question so that machine noise hits them alike.
  for (let round = 0; round < 2; round++) {
    for (const q of questions) {
      for (const [name, run] of Object.entries(variants)) {
        const c0 = process.cpuUsage();
        const start = performance.now();
        run(q);
        const ms = performance.now() - start;
        const c = process.cpuUsage(c0);
        if (round) {
          times[name]!.push(ms);
          cpu[name]!.push((c.user + c.system) / 1000);
        }
      }
    }
  }
  const { otherProcessesCores } = load.stop();
  const reference = exhaustiveBm25(db, checked, K);
  const ours = checked.map((q) => bm25Search(db, q, K));
  const pool = checked.map((q) => poolSearch(db, q, K));
  const stat = (m: Record<string, number[]>, p: number) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, round(percentile(v, p))]));
  const row = {
    chunks: size, writeMs: round(oursMs, 0), fts5BuildMs: round(fts5BuildMs, 0), storeMb,
    postingRows: postings.rows, postingMb: round(postings.bytes / 2 ** 20),
    p50Ms: stat(times, 50), p90Ms: stat(times, 90), cpuP50Ms: stat(cpu, 50),
    poolToOurs: round(percentile(times.pool!, 50) / percentile(times.ours!, 50), 1),
    exact: { questions: checked.length, oursEqualsExhaustive: ours.filter((r, i) => sameTopK(r, reference[i]!)).length,
      poolTop100Overlap: round(pool.reduce((s, r, i) => s + overlap(r, reference[i]!), 0) / checked.length, 4) },
    loadAverage1m: round(loadavg()[0]!, 1), otherProcessesCores: otherProcessesCores === null ? null : round(otherProcessesCores, 2),
  };
  console.log(`${size} chunks: p50 ${JSON.stringify(row.p50Ms)} ms, cpu p50 ${JSON.stringify(row.cpuP50Ms)} ms, pool/ours ${row.poolToOurs}; `
    + `ours = exhaustive on ${row.exact.oursEqualsExhaustive} of ${checked.length}, pool overlap ${row.exact.poolTop100Overlap}; load ${row.loadAverage1m}`);
  results.push(row);
  db.close();
  release.close();
}
console.log(`BENCH_SUMMARY ${JSON.stringify({ bench: 'bm25', k: K, queries: questions.length, sizes: results })}`);
