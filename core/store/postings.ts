// BM25's inverted index, kept in SQLite: for each term, the chunks that hold it with the term's frequency there and
// the chunk's length, so that core/store/fulltext.ts scores every matching chunk exactly, in JavaScript, over typed
// bytes (FTS5 had to rank every match with its own bm25() first: 0.5-0.7 s per question at 1M chunks).
//
// - bm25_postings: rows (term, first, last, n, data) of at most ROW_MAX postings with chunk ids first..last,
//   ascending; a term's rows never overlap. data holds three LEB128 varints per posting: the id's distance from the
//   previous one (the first posting's from `first`, so 0), the term's frequency, the chunk's length in terms.
// - bm25_totals: how many chunks the rows cover and their summed lengths (N and avgdl); chunks without terms count.
// - bm25_queue: chunk changes the triggers on chunks recorded (+1 added, -1 removed, with the chunk's terms) that the
//   rows do not hold yet. Writers fold it into the rows in the same transaction (syncPostings); a search applies
//   whatever is left on the fly (pendingChanges), so results are exact whichever code wrote the chunks.
//
// Rows grow at the tail: each sync appends a term's new postings as a row, then merges the last two rows while the
// older is at most twice the newer and both fit one row (a binary counter), so a posting is rewritten O(log ROW_MAX)
// times however small the writes. Removals rewrite the rows that held the removed ids.
import type { Db } from './db.js';

/** Postings per row: reading and decoding cost per query (fewer, larger rows) against rewrite cost per change. */
export const ROW_MAX = 4096;

export const POSTINGS_SCHEMA = `
CREATE TABLE bm25_postings (term TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, n INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (term, first)) WITHOUT ROWID;
CREATE TABLE bm25_totals (id INTEGER PRIMARY KEY CHECK (id = 0), chunks INTEGER NOT NULL, length INTEGER NOT NULL);
INSERT INTO bm25_totals(id, chunks, length) VALUES (0, 0, 0);
CREATE TABLE bm25_queue (seq INTEGER PRIMARY KEY, chunk_id INTEGER NOT NULL, sign INTEGER NOT NULL, terms TEXT NOT NULL,
  len INTEGER NOT NULL);
`;

/** A chunk's analysed terms (space-separated, repeats kept) and their count. */
export interface ChunkTerms { terms: string; len: number }

/** Net change the queue makes to the rows: chunks to take out (with the terms the rows hold) and to put in. */
export interface PendingChanges { removed: Map<number, ChunkTerms>; added: Map<number, ChunkTerms>; lastSeq: number }

/** A decoded run of postings, ascending ids. */
export interface Run { ids: number[]; tfs: number[]; lens: number[] }
export interface StoredRow { first: number; last: number; n: number; data: Buffer }

/** Term frequencies of a stored term string. */
export function termCounts(terms: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms.split(' ')) if (t) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

function pushVarint(out: number[], v: number): void {
  while (v >= 128) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function encode(run: Run, from: number, to: number): StoredRow {
  const bytes: number[] = [];
  const first = run.ids[from]!;
  for (let i = from, prev = first; i < to; i++) {
    pushVarint(bytes, run.ids[i]! - prev);
    pushVarint(bytes, run.tfs[i]!);
    pushVarint(bytes, run.lens[i]!);
    prev = run.ids[i]!;
  }
  return { first, last: run.ids[to - 1]!, n: to - from, data: Buffer.from(bytes) };
}

/** A row's postings (the hot loop in fulltext.ts decodes the same bytes inline). */
export function decode(row: Pick<StoredRow, 'first' | 'data'>): Run {
  const run: Run = { ids: [], tfs: [], lens: [] };
  const d = row.data;
  let pos = 0;
  const next = () => {
    let v = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = d[pos++]!;
      v += (byte & 127) * scale;
      if (byte < 128) return v;
    }
  };
  for (let id = row.first; pos < d.length;) {
    id += next();
    run.ids.push(id);
    run.tfs.push(next());
    run.lens.push(next());
  }
  return run;
}

const concat = (runs: Run[]): Run => ({ ids: runs.flatMap((r) => r.ids), tfs: runs.flatMap((r) => r.tfs), lens: runs.flatMap((r) => r.lens) });

/** Rows of at most ROW_MAX postings. */
function slices(run: Run): StoredRow[] {
  const rows: StoredRow[] = [];
  for (let i = 0; i < run.ids.length; i += ROW_MAX) rows.push(encode(run, i, Math.min(run.ids.length, i + ROW_MAX)));
  return rows;
}

/** What the queue changes, netted per chunk: the first entry of a chunk says what the rows hold, the last what should. */
export function pendingChanges(db: Db): PendingChanges {
  const rows = db.prepare('SELECT seq, chunk_id, sign, terms, len FROM bm25_queue ORDER BY seq').all() as
    { seq: number; chunk_id: number; sign: number; terms: string; len: number }[];
  const removed = new Map<number, ChunkTerms>();
  const added = new Map<number, ChunkTerms>();
  const seen = new Set<number>();
  for (const r of rows) {
    if (!seen.has(r.chunk_id) && r.sign < 0) removed.set(r.chunk_id, { terms: r.terms, len: r.len });
    seen.add(r.chunk_id);
    if (r.sign > 0) added.set(r.chunk_id, { terms: r.terms, len: r.len });
    else added.delete(r.chunk_id);
  }
  return { removed, added, lastSeq: rows.at(-1)?.seq ?? 0 };
}

export function readTotals(db: Db): { chunks: number; length: number } {
  return db.prepare('SELECT chunks, length FROM bm25_totals WHERE id = 0').get() as { chunks: number; length: number };
}

/** Folds the queue into the rows and empties it. Call inside the transaction that wrote the chunks. */
export function syncPostings(db: Db): void {
  const changes = pendingChanges(db);
  if (changes.lastSeq === 0) return;
  applyChanges(db, changes.removed, changes.added);
  db.prepare('DELETE FROM bm25_queue WHERE seq <= ?').run(changes.lastSeq);
}

/** Fills empty postings from chunk_terms, in slices of chunks (progress after each). */
export function buildPostings(db: Db, onProgress: (done: number, total: number) => void = () => {}): void {
  const total = db.prepare('SELECT count(*) FROM chunk_terms').pluck().get() as number;
  const slice = db.prepare('SELECT chunk_id, terms, len FROM chunk_terms WHERE chunk_id > ? ORDER BY chunk_id LIMIT 20000').raw();
  let done = 0;
  for (let last = Number.MIN_SAFE_INTEGER; ;) {
    const rows = slice.all(last) as [number, string, number][];
    if (rows.length === 0) break;
    applyChanges(db, new Map(), new Map(rows.map(([id, terms, len]) => [id, { terms, len }])));
    done += rows.length;
    last = rows.at(-1)![0];
    onProgress(done, total);
  }
}

function applyChanges(db: Db, removed: Map<number, ChunkTerms>, added: Map<number, ChunkTerms>): void {
  const perTerm = new Map<string, { drop: number[]; put: Run }>();
  const of = (t: string) => {
    let e = perTerm.get(t);
    if (!e) perTerm.set(t, (e = { drop: [], put: { ids: [], tfs: [], lens: [] } }));
    return e;
  };
  let dChunks = 0;
  let dLength = 0;
  for (const [id, c] of removed) {
    dChunks--;
    dLength -= c.len;
    for (const t of termCounts(c.terms).keys()) of(t).drop.push(id);
  }
  for (const [id, c] of [...added].sort((a, b) => a[0] - b[0])) {
    dChunks++;
    dLength += c.len;
    for (const [t, tf] of termCounts(c.terms)) {
      const put = of(t).put;
      put.ids.push(id);
      put.tfs.push(tf);
      put.lens.push(c.len);
    }
  }
  db.prepare('UPDATE bm25_totals SET chunks = chunks + ?, length = length + ? WHERE id = 0').run(dChunks, dLength);
  const s = statements(db);
  for (const [term, { drop, put }] of perTerm) {
    const tail = s.tail.all(term) as RowMeta[];
    const lastId = tail[0]?.last ?? -Infinity;
    // Ids past the term's last row are appended; others (a chunk's text changed in place) go with the removals.
    let cut = 0;
    while (cut < put.ids.length && put.ids[cut]! <= lastId) cut++;
    if (drop.length || cut) rewrite(s, term, new Set(drop), { ids: put.ids.slice(0, cut), tfs: put.tfs.slice(0, cut), lens: put.lens.slice(0, cut) });
    if (cut < put.ids.length) {
      append(s, term, cut || drop.length ? (s.tail.all(term) as RowMeta[]) : tail,
        { ids: put.ids.slice(cut), tfs: put.tfs.slice(cut), lens: put.lens.slice(cut) });
    }
  }
}

type Statements = ReturnType<typeof prepare>;
const prepared = new WeakMap<Db, Statements>();
function prepare(db: Db) {
  return {
    // The term's newest rows, newest first: the open tail (append) is among them.
    tail: db.prepare('SELECT first, last, n FROM bm25_postings WHERE term = ? ORDER BY first DESC LIMIT 24'),
    data: db.prepare('SELECT data FROM bm25_postings WHERE term = ? AND first = ?').pluck(),
    extend: db.prepare('UPDATE bm25_postings SET data = ?, last = ?, n = ? WHERE term = ? AND first = ?'),
    span: db.prepare('SELECT first, last, n, data FROM bm25_postings WHERE term = ? AND last >= ? AND first <= ? ORDER BY first'),
    remove: db.prepare('DELETE FROM bm25_postings WHERE term = ? AND first = ?'),
    insert: db.prepare('INSERT INTO bm25_postings(term, first, last, n, data) VALUES (?, ?, ?, ?, ?)'),
  };
}
function statements(db: Db): Statements {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = prepare(db)));
  return s;
}

function replaceRows(s: Statements, term: string, old: StoredRow[], rows: StoredRow[]): void {
  for (const r of old) s.remove.run(term, r.first);
  for (const r of rows) s.insert.run(term, r.first, r.last, r.n, r.data);
}

/** Takes `drop` out of the rows that hold them and merges `put` (ids at or before the term's last) into them. */
function rewrite(s: Statements, term: string, drop: Set<number>, put: Run): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (const id of [...drop, ...put.ids]) {
    lo = Math.min(lo, id);
    hi = Math.max(hi, id);
  }
  const old = s.span.all(term, lo, hi) as StoredRow[];
  const kept = concat(old.map(decode));
  const merged: Run = { ids: [], tfs: [], lens: [] };
  const take = (r: Run, i: number) => {
    merged.ids.push(r.ids[i]!);
    merged.tfs.push(r.tfs[i]!);
    merged.lens.push(r.lens[i]!);
  };
  let j = 0;
  for (let i = 0; i < kept.ids.length; i++) {
    for (; j < put.ids.length && put.ids[j]! < kept.ids[i]!; j++) take(put, j);
    if (j < put.ids.length && put.ids[j] === kept.ids[i]) continue; // replaced by the new posting, taken next
    if (!drop.has(kept.ids[i]!)) take(kept, i);
  }
  for (; j < put.ids.length; j++) take(put, j);
  replaceRows(s, term, old, slices(merged));
}

/** A row's place: its first and last ids and how many postings it holds. */
type RowMeta = Pick<StoredRow, 'first' | 'last' | 'n'>;
/** Rows to become one: stored rows (oldest first) then new ones. */
interface Group extends RowMeta { parts: (RowMeta & { data?: Buffer })[] }

/**
 * Appends postings past the term's last row, then merges tail rows while the older is at most twice the newer. Rows
 * merge by joining their bytes (a row starts with a 0 delta, which becomes the distance from the row before), so
 * nothing is decoded, and the oldest row of a merge keeps its key.
 */
function append(s: Statements, term: string, newestFirst: RowMeta[], put: Run): void {
  const stack: Group[] = [];
  for (const r of newestFirst) {
    if (r.n > ROW_MAX / 2) break; // half-full rows are closed, which bounds the open tail to about log2(ROW_MAX) rows
    stack.unshift({ ...r, parts: [r] });
  }
  for (const row of slices(put)) {
    stack.push({ ...row, parts: [row] });
    while (stack.length >= 2) {
      const a = stack.at(-2)!;
      const b = stack.at(-1)!;
      if (a.n + b.n > ROW_MAX || a.n > 2 * b.n) break;
      stack.splice(-2, 2, { first: a.first, last: b.last, n: a.n + b.n, parts: [...a.parts, ...b.parts] });
    }
  }
  for (const group of stack) {
    const [head, ...rest] = group.parts;
    if (!head!.data && rest.length === 0) continue; // a stored open row left as it was
    const bytes: Buffer[] = [];
    let previous = head!.last;
    for (const part of rest) {
      const data = part.data ?? (s.data.get(term, part.first) as Buffer);
      const gap: number[] = [];
      pushVarint(gap, part.first - previous);
      bytes.push(Buffer.from(gap), data.subarray(1));
      previous = part.last;
      if (!part.data) s.remove.run(term, part.first);
    }
    // SQL's || would turn blobs into text, so the bytes are joined here.
    const data = Buffer.concat([head!.data ?? (s.data.get(term, head!.first) as Buffer), ...bytes]);
    if (head!.data) s.insert.run(term, group.first, group.last, group.n, data);
    else s.extend.run(data, group.last, group.n, term, group.first);
  }
}
