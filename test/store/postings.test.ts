// BM25's postings against a reference that scores every chunk from chunk_terms: the exhaustive top k, equal to the
// last bit, after writes, rewrites and removals; changes no writer folded in (a reader leaves them be); a failed write;
// the schema-5 upgrade, and one that fails before it commits.
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getMeta, openDb, setMeta, type Db } from '../../core/store/db.js';
import { markSkipped, removeDocument, replaceDocument } from '../../core/store/documents.js';
import { bm25Search, rebuildFulltext } from '../../core/store/fulltext.js';
import { decode, ROW_MAX, syncPostings, termCounts } from '../../core/store/postings.js';
import { mulberry32 } from '../../core/models/synth/random.js';
import { exhaustiveBm25 } from '../support/bm25-reference.js';
import { tempDir } from '../support/temp.js';

// Words that the analysis keeps as they are (no stopwords, already stems), so a test can say what a chunk holds.
const WORDS = Array.from({ length: 40 }, (_, i) => `w${i}x`);
const chunk = (text: string) => ({ text, charStart: 0, charEnd: text.length, page: null, headingPath: [], tokenCount: 3 });
const info = (path: string) => ({ path, folder: '/f', hash: path, size: 1, mtimeMs: 1 });

/** Zipf-like text: word i with weight 1/(i+1), so the first words reach more than ROW_MAX chunks. */
function texts(r: () => number, n: number): string[] {
  const total = WORDS.reduce((s, _, i) => s + 1 / (i + 1), 0);
  const word = () => {
    let x = r() * total;
    for (let i = 0; i < WORDS.length; i++) if ((x -= 1 / (i + 1)) <= 0) return WORDS[i]!;
    return WORDS.at(-1)!;
  };
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(r() * 12) }, word).join(' '));
}

const reference = (db: Db, question: string, k: number, k1?: number, b?: number) => exhaustiveBm25(db, [question], k, k1, b)[0]!;

/** The rows are sorted, never overlap, count right, and hold exactly what chunk_terms holds; the totals agree. */
function assertConsistent(db: Db): void {
  assert.equal(db.prepare('SELECT count(*) FROM bm25_queue').pluck().get(), 0, 'the queue was folded in');
  const expected = new Map<string, string[]>();
  const rows = db.prepare('SELECT chunk_id, terms, len FROM chunk_terms ORDER BY chunk_id').all() as { chunk_id: number; terms: string; len: number }[];
  for (const r of rows) for (const [t, tf] of termCounts(r.terms)) expected.set(t, [...(expected.get(t) ?? []), `${r.chunk_id}:${tf}:${r.len}`]);
  const got = new Map<string, string[]>();
  let previous = { term: '', last: -Infinity };
  for (const row of db.prepare('SELECT term, first, last, n, data FROM bm25_postings ORDER BY term, first').all() as { term: string; first: number; last: number; n: number; data: Buffer }[]) {
    const run = decode(row);
    assert.equal(run.ids.length, row.n, `${row.term}@${row.first}: n`);
    assert.ok(row.n > 0 && row.n <= ROW_MAX, `${row.term}@${row.first}: ${row.n} postings`);
    assert.equal(run.ids[0], row.first);
    assert.equal(run.ids.at(-1), row.last);
    if (row.term === previous.term) assert.ok(row.first > previous.last, `${row.term}: rows overlap`);
    previous = { term: row.term, last: row.last };
    got.set(row.term, [...(got.get(row.term) ?? []), ...run.ids.map((id, i) => `${id}:${run.tfs[i]}:${run.lens[i]}`)]);
  }
  assert.deepEqual(got, expected);
  const totals = db.prepare('SELECT chunks, length FROM bm25_totals').get();
  assert.deepEqual(totals, { chunks: rows.length, length: rows.reduce((s, r) => s + r.len, 0) });
}

function assertSearchesExact(db: Db, r: () => number, label: string): void {
  for (let q = 0; q < 12; q++) {
    const question = Array.from({ length: 1 + Math.floor(r() * 5) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
    const k = [1, 10, 100, 1000][q % 4]!;
    assert.deepEqual(bm25Search(db, question, k), reference(db, question, k), `${label}: "${question}" k ${k}`);
  }
  assert.deepEqual(bm25Search(db, 'w0x w1x', 50, { k1: 0.4, b: 1 }), reference(db, 'w0x w1x', 50, 0.4, 1), `${label}: other k1 and b`);
}

/** Turns a store back into what release 5 left: FTS5 over chunk_terms, its vocabulary table, triggers feeding both. */
function downgradeToV5(db: Db): void {
  db.exec(`DROP TRIGGER chunks_ai; DROP TRIGGER chunks_ad; DROP TRIGGER chunks_au;
    DROP TABLE bm25_postings; DROP TABLE bm25_totals; DROP TABLE bm25_queue;
    CREATE VIRTUAL TABLE chunks_fts USING fts5(terms, content='chunk_terms', content_rowid='chunk_id',
      tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'");
    CREATE VIRTUAL TABLE chunks_fts_terms USING fts5vocab(chunks_fts, row);
    INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
    CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
      INSERT INTO chunk_terms(chunk_id, terms, len) SELECT new.id, 'x', 1;
      INSERT INTO chunks_fts(rowid, terms) SELECT chunk_id, terms FROM chunk_terms WHERE chunk_id = new.id;
    END;
    CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
      INSERT INTO chunks_fts(chunks_fts, rowid, terms) SELECT 'delete', chunk_id, terms FROM chunk_terms WHERE chunk_id = old.id;
      DELETE FROM chunk_terms WHERE chunk_id = old.id;
    END;`);
  setMeta(db, 'schema_version', '5');
}

describe('BM25 postings', () => {
  it('the top k equals exhaustive scoring to the last bit, through appends, rewrites and removals', () => {
    const r = mulberry32(7);
    const db = openDb(tempDir());
    for (let d = 0; d < 60; d++) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 100).map(chunk), 'k');
    const longest = db.prepare('SELECT term, count(*) FROM bm25_postings GROUP BY term ORDER BY count(*) DESC LIMIT 1').raw().get() as [string, number];
    assert.ok(longest[1] >= 2, `a common term spans several rows (${longest[0]}: ${longest[1]})`);
    assertConsistent(db);
    assertSearchesExact(db, r, 'after appends');
    // Documents replaced (new ids at the end, old ones removed from the middle of rows), skipped and removed.
    for (let d = 0; d < 60; d += 3) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 1 + Math.floor(r() * 150)).map(chunk), 'k');
    markSkipped(db, info('/f/1.txt'), 'error', 'unreadable');
    removeDocument(db, '/f/2.txt');
    replaceDocument(db, info('/f/empty.txt'), [chunk('the of and')], 'k'); // a chunk with no terms still counts in N
    assertConsistent(db);
    assertSearchesExact(db, r, 'after changes');
    // A chunk's text changed in place keeps its id: its postings are rewritten where they are.
    const id = db.prepare("SELECT min(id) FROM chunks").pluck().get() as number;
    db.prepare('UPDATE chunks SET text = ? WHERE id = ?').run('w39x w39x w38x', id);
    syncPostings(db);
    assertConsistent(db);
    assert.equal(bm25Search(db, 'w39x', 1)[0]!.chunkId, id);
    assertSearchesExact(db, r, 'after an update in place');
  });

  it('changes no writer folded in are counted by every search, exactly as if they were', () => {
    const r = mulberry32(11);
    const db = openDb(tempDir());
    for (let d = 0; d < 5; d++) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 50).map(chunk), 'k');
    // Written past documents.ts: the triggers queue the changes; nothing folds them in.
    db.prepare('DELETE FROM chunks WHERE document_id = (SELECT id FROM documents WHERE path = ?)').run('/f/0.txt');
    const doc = db.prepare("SELECT id FROM documents WHERE path = '/f/1.txt'").pluck().get() as number;
    const insert = db.prepare('INSERT INTO chunks(document_id, ord, text, char_start, char_end, token_count) VALUES (?, 0, ?, 0, 1, 1)');
    for (const t of texts(r, 30)) insert.run(doc, t);
    db.prepare('UPDATE chunks SET text = ? WHERE id = (SELECT max(id) FROM chunks)').run('w20x w21x');
    assert.ok((db.prepare('SELECT count(*) FROM bm25_queue').pluck().get() as number) > 0);
    assertSearchesExact(db, r, 'queued');
    const before = bm25Search(db, 'w1x w20x', 30);
    syncPostings(db);
    assertConsistent(db);
    assert.deepEqual(bm25Search(db, 'w1x w20x', 30), before, 'folding the queue in changes no result');
  });

  it('a write that fails while folding its changes in leaves the store as it was', () => {
    const r = mulberry32(13);
    const db = openDb(tempDir());
    replaceDocument(db, info('/f/a.txt'), texts(r, 80).map(chunk), 'k');
    const snapshot = () => [
      db.prepare('SELECT term, first, data FROM bm25_postings ORDER BY term, first').raw().all(),
      db.prepare('SELECT * FROM bm25_totals').get(), db.prepare('SELECT count(*) FROM bm25_queue').pluck().get(),
      db.prepare('SELECT count(*) FROM chunks').pluck().get(),
    ];
    const before = snapshot();
    db.exec(`CREATE TEMP TRIGGER fail AFTER INSERT ON bm25_postings WHEN new.term = 'w5x' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    assert.throws(() => replaceDocument(db, info('/f/a.txt'), texts(r, 80).map(chunk), 'k'), /disk full/);
    assert.deepEqual(snapshot(), before);
    db.exec('DROP TRIGGER fail');
    replaceDocument(db, info('/f/a.txt'), texts(r, 80).map(chunk), 'k');
    assertConsistent(db);
  });

  it('built at once from chunk_terms (a migration) it holds what writes one by one made', () => {
    const r = mulberry32(17);
    const db = openDb(tempDir());
    for (let d = 0; d < 20; d++) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 300).map(chunk), 'k');
    for (let d = 0; d < 20; d += 4) removeDocument(db, `/f/${d}.txt`);
    const questions = ['w0x w3x', 'w7x w7x w30x', 'w39x'];
    const incremental = questions.map((q) => bm25Search(db, q, 100));
    const lines: string[] = [];
    db.transaction(() => rebuildFulltext(db, () => {}, (done, total) => lines.push(`${done}/${total}`)))();
    assert.deepEqual(lines, ['4500/4500']);
    assertConsistent(db);
    assert.deepEqual(questions.map((q) => bm25Search(db, q, 100)), incremental);
  });

  it('a schema-5 store (FTS5 over the analysed terms) moves to the postings once, from its stored terms', () => {
    const dir = tempDir();
    const db = openDb(dir);
    const r = mulberry32(19);
    for (let d = 0; d < 3; d++) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 40).map(chunk), 'k');
    const questions = ['w0x w9x', 'w2x'];
    const expected = questions.map((q) => bm25Search(db, q, 20));
    downgradeToV5(db);
    // A stored term the analysis would not give again shows the terms are not recomputed.
    db.prepare("UPDATE chunk_terms SET terms = terms || ' storedx', len = len + 1 WHERE chunk_id = (SELECT min(chunk_id) FROM chunk_terms)").run();
    db.close();
    const migrated = openDb(dir);
    assert.ok(Number(getMeta(migrated, 'schema_version')) >= 6);
    assert.equal(migrated.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'chunks_fts%'").pluck().get(), 0, 'FTS5 is gone');
    assertConsistent(migrated);
    assert.equal(bm25Search(migrated, 'storedx', 5).length, 1);
    assert.deepEqual(questions.map((q) => bm25Search(migrated, q, 20).map((x) => x.chunkId)), expected.map((e) => e.map((x) => x.chunkId)));
    // Writes after the upgrade go through the new triggers.
    replaceDocument(migrated, info('/f/0.txt'), texts(r, 40).map(chunk), 'k');
    assertConsistent(migrated);
    assertSearchesExact(migrated, r, 'upgraded');
  });

  it('a migration to the postings that fails before it commits leaves the schema-5 store whole, and the next open completes it', () => {
    const dir = tempDir();
    const db = openDb(dir);
    const r = mulberry32(23);
    for (let d = 0; d < 4; d++) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 60).map(chunk), 'k');
    const expected = bm25Search(db, 'w3x w8x', 30);
    downgradeToV5(db);
    // The step has built every posting when it records its version: failing there (a crash, a full disk) throws
    // away all it did.
    db.exec(`CREATE TRIGGER crash BEFORE UPDATE ON meta WHEN new.key = 'schema_version' AND new.value = '6'
      BEGIN SELECT RAISE(ABORT, 'crashed mid-migration'); END;`);
    db.close();
    assert.throws(() => openDb(dir), /crashed mid-migration/);
    const raw = new Database(join(dir, 'localrag.sqlite'), { readonly: true });
    assert.equal(raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), '5');
    assert.deepEqual(raw.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'bm25%' OR name LIKE 'chunks_fts' ORDER BY name").pluck().all(), ['chunks_fts']);
    assert.equal(raw.prepare(`SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH '"w3x"'`).pluck().get() as number > 0, true, 'FTS5 still answers');
    raw.close();
    const fixed = new Database(join(dir, 'localrag.sqlite'));
    fixed.exec('DROP TRIGGER crash');
    fixed.close();
    const migrated = openDb(dir);
    assert.equal(getMeta(migrated, 'schema_version'), '6');
    assertConsistent(migrated);
    assert.deepEqual(bm25Search(migrated, 'w3x w8x', 30), expected, 'exactly what a clean migration gives');
  });

  it('a reader counts changes no writer folded in, and leaves the store and its queue as they were', () => {
    const dir = tempDir();
    const db = openDb(dir);
    const r = mulberry32(29);
    for (let d = 0; d < 3; d++) replaceDocument(db, info(`/f/${d}.txt`), texts(r, 50).map(chunk), 'k');
    db.prepare('DELETE FROM chunks WHERE document_id = (SELECT id FROM documents WHERE path = ?)').run('/f/0.txt');
    const questions = ['w0x w4x', 'w11x', 'w2x w2x w17x'];
    const expected = questions.map((q) => reference(db, q, 40));
    const queued = db.prepare('SELECT count(*) FROM bm25_queue').pluck().get() as number;
    assert.ok(queued > 0);
    db.close();
    const file = join(dir, 'localrag.sqlite');
    const before = `${createHash('sha256').update(readFileSync(file)).digest('hex')} ${statSync(file).mtimeMs}`;
    const reader = openDb(dir, { access: 'read' });
    assert.deepEqual(questions.map((q) => bm25Search(reader, q, 40)), expected);
    assert.equal(reader.prepare('SELECT count(*) FROM bm25_queue').pluck().get(), queued, 'the queue is not folded in by a read');
    reader.close();
    assert.equal(`${createHash('sha256').update(readFileSync(file)).digest('hex')} ${statSync(file).mtimeMs}`, before);
  });
});
