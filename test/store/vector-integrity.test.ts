// Vector integrity by construction: chunk ids are never reused, the saved index is checked against SQLite by
// content (digests), and whatever differs is patched, so FAISS equals SQLite vector by vector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { storeVectors, VectorIndex } from '../../core/store/vector-index.js';
import { checkVectors } from '../../core/store/doctor.js';
import { tempDir } from '../support/temp.js';
import { assertFaissEqualsSqlite } from '../support/vectors.js';

const DIM = 8;
const unit = (seed: number) => {
  const v = new Float32Array(DIM).map((_, i) => Math.sin(seed * 7.3 + i * 1.1));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const chunks = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ text: `${tag} chunk ${i}`, charStart: i, charEnd: i + 1, page: null, headingPath: [], tokenCount: 3 }));
const doc = (d: number) => ({ path: `/f/doc${d}.txt`, folder: '/f', hash: `h${d}`, size: 1, mtimeMs: 1 });

function seeded(nDocs: number) {
  const dir = tempDir();
  const db = openDb(dir);
  const ids: number[] = [];
  for (let d = 0; d < nDocs; d++) ids.push(...replaceDocument(db, doc(d), chunks(3, `doc ${d}`), 'k').added);
  storeVectors(db, ids, ids.map(unit));
  return { dir, db, ids };
}

test('chunk ids are never reused, even for the document that holds the highest ids', () => {
  const { db, ids } = seeded(2);
  const last = Math.max(...ids);
  const again = replaceDocument(db, doc(1), chunks(3, 'edited'), 'k');
  assert.ok(Math.min(...again.added) > last, `new ids ${again.added} come after every id ever used (${last})`);
  db.close();
});

test('a vector replaced under the same chunk id is noticed by content and replaced in FAISS', () => {
  const { dir, db, ids } = seeded(3);
  VectorIndex.open(db, dir, DIM).index.close();
  // As if a chunk id had been reused: SQLite's vector changes, the saved FAISS file still holds the old one.
  storeVectors(db, [ids[4]!], [unit(999)]);
  const { index, repair } = VectorIndex.open(db, dir, DIM);
  assert.equal(repair.staleReplaced, 1);
  assert.equal(index.search(unit(999), 1)[0]!.chunkId, ids[4]);
  index.close();
  assertFaissEqualsSqlite(dir);
  db.close();
});

test('a shuffled vectors.ids.json is detected by content and repaired; doctor reports it before and after', () => {
  const { dir, db, ids } = seeded(6);
  VectorIndex.open(db, dir, DIM).index.close();
  const manifestPath = join(dir, 'vectors.ids.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { ids: number[] };
  manifest.ids = [...manifest.ids.slice(1), manifest.ids[0]!]; // same ids, same count, wrong positions
  writeFileSync(manifestPath, JSON.stringify(manifest));

  const check = checkVectors(db, dir, { repair: false });
  assert.equal(check.ok, false);
  assert.equal(check.found.stale, ids.length, 'every position now names the wrong vector');
  assert.equal(check.found.indexed, ids.length, 'counts alone would have said all is well');

  const fixed = checkVectors(db, dir, { repair: true });
  assert.equal(fixed.ok, true);
  assert.equal(fixed.repaired, true);
  assert.equal(fixed.after!.matched, ids.length);
  assertFaissEqualsSqlite(dir);
  const { index } = VectorIndex.open(db, dir, DIM);
  for (const id of ids) assert.equal(index.search(unit(id), 1)[0]!.chunkId, id);
  index.close();
  db.close();
});

test('a stored digest that does not match its vector is found and recomputed by doctor', () => {
  const { dir, db, ids } = seeded(2);
  VectorIndex.open(db, dir, DIM).index.close();
  db.prepare('UPDATE vectors SET digest = 12345 WHERE chunk_id = ?').run(ids[0]);
  assert.equal(checkVectors(db, dir, { repair: false }).digestsWrong, 1);
  const fixed = checkVectors(db, dir, { repair: true });
  assert.equal(fixed.ok, true);
  assert.equal(checkVectors(db, dir, { repair: false }).digestsWrong, 0);
  assertFaissEqualsSqlite(dir);
  db.close();
});

test('another process changing the vectors bumps the generation; an open index catches up instead of going stale', () => {
  const { dir, db, ids } = seeded(2);
  const { index } = VectorIndex.open(db, dir, DIM);
  const before = index.generation;
  const other = openDb(dir); // a second connection, as another process would have
  const more = replaceDocument(other, doc(7), chunks(2, 'more'), 'k').added;
  storeVectors(other, more, more.map(unit));
  other.prepare('DELETE FROM chunks WHERE id = ?').run(ids[0]);
  other.close();
  const r = index.refresh();
  assert.ok(r && index.generation > before);
  assert.equal(r!.missingAdded, 2);
  assert.equal(r!.orphansRemoved, 1);
  assert.equal(index.search(unit(more[1]!), 1)[0]!.chunkId, more[1]);
  assert.equal(index.refresh(), null, 'nothing changed since: no work');
  index.save();
  assertFaissEqualsSqlite(dir);
  index.close();
  db.close();
});
