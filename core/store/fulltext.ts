// BM25 over chunk text: Okapi BM25 scored exactly over every chunk that holds a query term, with k1 and b the caller's.
//
// What is indexed: each chunk's analysed terms (core/store/text-terms.ts: stemmed English, segmented Japanese and
// Chinese, no stopwords), stored in chunk_terms by a trigger through the SQL function localrag_fts_terms, which every
// connection registers (openDb), and from there in BM25's own postings (core/store/postings.ts: per term, the chunks
// with the term's frequency and the chunk's length).
//
// How a question is scored: its terms' postings are read (a few MB at 1M chunks) and summed, term at a time, into an
// accumulator over a window of chunk ids; every scored chunk is a candidate for the top k, so the result is the
// exhaustive top k (no pool, no approximation):
//   sum over query terms t of  w(qtf) * idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))
//   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))   (Lucene's, never negative)
//   w(qtf) = (k3 + 1) * qtf / (k3 + qtf), k3 = 1     (Okapi's query-term saturation, Xapian's default k3)
// with k1 = 1.2 and b = 0.75 by default (Robertson and Zaragoza 2009; Lucene's defaults). N and avgdl count every
// chunk, those without terms too.
import type { Db } from './db.js';
import { buildPostings, type ChunkTerms, pendingChanges, POSTINGS_SCHEMA, readTotals, termCounts } from './postings.js';
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

/** Each chunk's analysed terms, and the triggers that keep them and queue them for the postings (postings.ts). */
const CHUNK_TERMS_TABLE = 'CREATE TABLE chunk_terms (chunk_id INTEGER PRIMARY KEY, terms TEXT NOT NULL, len INTEGER NOT NULL);';
const ADD = (id: string) => `
  INSERT INTO chunk_terms(chunk_id, terms, len) SELECT ${id}, t, ${TERM_COUNT('t')} FROM (SELECT ${FTS_TERMS_FUNCTION}(new.text) AS t);
  INSERT INTO bm25_queue(chunk_id, sign, terms, len) SELECT chunk_id, 1, terms, len FROM chunk_terms WHERE chunk_id = ${id};`;
const DROP = (id: string) => `
  INSERT INTO bm25_queue(chunk_id, sign, terms, len) SELECT chunk_id, -1, terms, len FROM chunk_terms WHERE chunk_id = ${id};
  DELETE FROM chunk_terms WHERE chunk_id = ${id};`;
const TRIGGERS = `
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN${ADD('new.id')}
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN${DROP('old.id')}
END;
CREATE TRIGGER chunks_au AFTER UPDATE OF text ON chunks BEGIN${DROP('old.id')}${ADD('new.id')}
END;
`;
/** Every full-text table and trigger, of this version and earlier ones. */
const DROP_ALL = `DROP TRIGGER IF EXISTS chunks_ai; DROP TRIGGER IF EXISTS chunks_ad; DROP TRIGGER IF EXISTS chunks_au;
  DROP TABLE IF EXISTS chunks_fts_terms; DROP TABLE IF EXISTS chunks_fts;`;

type Progress = (done: number, total: number) => void;

/**
 * Replaces the full-text index (whatever its earlier form) with the current one: analyses every chunk in batches,
 * then builds the postings from the stored terms, reporting progress of each. Runs inside the caller's transaction.
 */
export function rebuildFulltext(db: Db, onTerms: Progress = () => {}, onPostings: Progress = () => {}): void {
  db.exec(`${DROP_ALL} DROP TABLE IF EXISTS chunk_terms; DROP TABLE IF EXISTS bm25_postings; DROP TABLE IF EXISTS bm25_totals;
    DROP TABLE IF EXISTS bm25_queue;`);
  db.exec(CHUNK_TERMS_TABLE + POSTINGS_SCHEMA + TRIGGERS);
  const total = db.prepare('SELECT count(*) FROM chunks').pluck().get() as number;
  const nextIds = db.prepare('SELECT id FROM chunks WHERE id > ? ORDER BY id LIMIT 2000').pluck();
  const fill = db.prepare(`INSERT INTO chunk_terms(chunk_id, terms, len) SELECT id, t, ${TERM_COUNT('t')}
    FROM (SELECT id, ${FTS_TERMS_FUNCTION}(text) AS t FROM chunks WHERE id BETWEEN ? AND ?)`);
  let done = 0;
  for (let last = Number.MIN_SAFE_INTEGER; ;) {
    const ids = nextIds.all(last) as number[];
    if (ids.length === 0) break;
    fill.run(ids[0], ids.at(-1));
    done += ids.length;
    last = ids.at(-1)!;
    onTerms(done, total);
  }
  buildPostings(db, onPostings);
}

/**
 * Moves a store whose analysed terms are indexed by FTS5 (schema 5) to BM25's own postings, built from the stored
 * terms (no text is analysed again). Nothing to do where the postings exist already.
 */
export function upgradeFulltext(db: Db, onPostings: Progress = () => {}): void {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'bm25_postings'").get()) return;
  db.exec(DROP_ALL + POSTINGS_SCHEMA + TRIGGERS);
  buildPostings(db, onPostings);
}

/** Scratch for scoring: one window of chunk ids at a time (bm25Search is synchronous, so one set serves all calls). */
const WINDOW = 1 << 16;
const acc = new Float64Array(WINDOW);
const touched = new Int32Array(WINDOW);

/** One query term's postings being read: its rows, and where the reading stands. */
interface Cursor { weight: number; rows: [number, Buffer][]; row: number; pos: number; id: number }

/**
 * Adds the term's contribution for every posting with id < end to acc (ids from base); returns the number of touched
 * slots. Stops at the first posting at or past end, keeping its place in the cursor.
 */
function accumulate(c: Cursor, base: number, end: number, n: number, k1: number, c1: number, c2: number): number {
  const wk = c.weight * (k1 + 1);
  for (; c.row < c.rows.length; c.row++, c.pos = 0) {
    const [first, d] = c.rows[c.row]!;
    let pos = c.pos;
    let id = pos === 0 ? first : c.id;
    while (pos < d.length) {
      // Three varints: id delta, tf, chunk length (one byte each, mostly).
      let byte = d[pos]!;
      let p = pos + 1;
      let delta = byte & 127;
      for (let scale = 128; byte >= 128; scale *= 128) delta += ((byte = d[p++]!) & 127) * scale;
      const next = id + delta;
      if (next >= end) {
        c.pos = pos;
        c.id = id;
        return n;
      }
      let tf = (byte = d[p++]!) & 127;
      for (let scale = 128; byte >= 128; scale *= 128) tf += ((byte = d[p++]!) & 127) * scale;
      let dl = (byte = d[p++]!) & 127;
      for (let scale = 128; byte >= 128; scale *= 128) dl += ((byte = d[p++]!) & 127) * scale;
      const slot = next - base;
      if (acc[slot] === 0) touched[n++] = slot;
      acc[slot] += (wk * tf) / (tf + c1 + c2 * dl);
      id = next;
      pos = p;
    }
  }
  return n;
}

/** The id of the cursor's next posting (Infinity when it is done). */
function nextId(c: Cursor): number {
  if (c.row >= c.rows.length) return Infinity;
  const [first, d] = c.rows[c.row]!;
  if (c.pos === 0) return first;
  let pos = c.pos;
  let byte = d[pos++]!;
  let delta = byte & 127;
  for (let scale = 128; byte >= 128; scale *= 128) delta += ((byte = d[pos++]!) & 127) * scale;
  return c.id + delta;
}

/** The best k of scored chunks: score descending, then chunk id ascending. */
class TopK {
  private items: { chunkId: number; score: number }[] = [];
  private floor = -Infinity;
  private floorId = Infinity;
  constructor(private readonly k: number) {}
  offer(chunkId: number, score: number): void {
    if (score < this.floor || (score === this.floor && chunkId > this.floorId)) return;
    this.items.push({ chunkId, score });
    if (this.items.length >= 2 * this.k) this.trim();
  }
  private trim(): void {
    this.items.sort((x, y) => (y.score - x.score) || (x.chunkId - y.chunkId));
    this.items.length = Math.min(this.items.length, this.k);
    if (this.items.length === this.k) ({ score: this.floor, chunkId: this.floorId } = this.items.at(-1)!);
  }
  result(): { chunkId: number; score: number }[] {
    this.trim();
    return this.items;
  }
}

/** Top-k chunks by Okapi BM25 (higher is better), exhaustive over every chunk holding a query term; ties go to the lower chunk id. */
export function bm25Search(db: Db, question: string, k: number, opts: Bm25Options = {}): { chunkId: number; score: number }[] {
  const k1 = opts.k1 ?? 1.2;
  const b = opts.b ?? 0.75;
  const qtf = new Map<string, number>();
  for (const t of textTerms(question)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
  if (qtf.size === 0 || k <= 0) return [];
  // Changes not folded into the postings yet (normally none) count as if they were.
  const pending = pendingChanges(db);
  const pendingCounts = (chunks: Map<number, ChunkTerms>) => [...chunks].map(([id, c]) => ({ id, len: c.len, counts: termCounts(c.terms) }));
  const added = pendingCounts(pending.added);
  const removed = pendingCounts(pending.removed);
  const totals = readTotals(db);
  const n = totals.chunks + added.length - removed.length;
  const length = totals.length + added.reduce((s, c) => s + c.len, 0) - removed.reduce((s, c) => s + c.len, 0);
  const avgdl = length / n;
  if (!(n > 0 && avgdl > 0)) return [];
  const rowsOf = db.prepare('SELECT first, n, data FROM bm25_postings WHERE term = ? ORDER BY first').raw();
  const cursors: Cursor[] = [];
  const weights: [string, number][] = [];
  for (const [term, count] of qtf) {
    const rows = rowsOf.all(term) as [number, number, Buffer][];
    let df = rows.reduce((s, r) => s + r[1], 0);
    for (const c of added) if (c.counts.has(term)) df++;
    for (const c of removed) if (c.counts.has(term)) df--;
    const weight = ((K3 + 1) * count / (K3 + count)) * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    // Every contribution must be positive: a slot still at 0 is one no term has touched yet.
    if (df <= 0 || !(weight > 0)) continue;
    weights.push([term, weight]);
    if (rows.length) cursors.push({ weight, rows: rows.map(([first, , data]) => [first, data]), row: 0, pos: 0, id: 0 });
  }
  const top = new TopK(k);
  // A chunk's length enters as k1 * (1 - b + b * dl / avgdl) = c1 + c2 * dl.
  const c1 = k1 * (1 - b);
  const c2 = (k1 * b) / avgdl;
  const anyRemoved = pending.removed.size > 0;
  for (let base = Math.min(...cursors.map(nextId)); base < Infinity; base = Math.min(...cursors.map(nextId))) {
    let touchedCount = 0;
    for (const c of cursors) touchedCount = accumulate(c, base, base + WINDOW, touchedCount, k1, c1, c2);
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i]!;
      const chunkId = base + slot;
      if (!anyRemoved || !pending.removed.has(chunkId)) top.offer(chunkId, acc[slot]!);
      acc[slot] = 0;
    }
  }
  for (const c of added) {
    let score = 0;
    for (const [term, weight] of weights) {
      const tf = c.counts.get(term) ?? 0;
      if (tf > 0) score += (weight * (k1 + 1) * tf) / (tf + c1 + c2 * c.len);
    }
    if (score > 0) top.offer(c.id, score);
  }
  return top.result();
}
