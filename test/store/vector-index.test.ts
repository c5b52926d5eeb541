import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { readVectors, storeVectors, VectorIndex } from '../../core/store/vector-index.js';
import { tempDir } from '../support/temp.js';

const DIM = 8;
function unit(seed: number): Float32Array {
  const v = new Float32Array(DIM).map((_, i) => Math.sin(seed * 7.3 + i * 1.1));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function seed(dir: string, nDocs: number) {
  const db = openDb(dir);
  const ids: number[] = [];
  for (let d = 0; d < nDocs; d++) {
    const { added } = replaceDocument(db, { path: `/f/doc${d}.txt`, folder: '/f', hash: `h${d}`, size: 1, mtimeMs: 1 },
      [0, 1].map((i) => ({ text: `doc ${d} chunk ${i}`, charStart: i * 10, charEnd: i * 10 + 9, page: null, headingPath: [], tokenCount: 4 })), 'k');
    ids.push(...added);
  }
  return { db, ids };
}

test('stored vectors read back by chunk id, and FAISS finds the nearest chunk', (t) => {
  const dir = tempDir();
  const { db, ids } = seed(dir, 5);
  const vectors = ids.map((id) => unit(id));
  storeVectors(db, ids, vectors);
  const { index } = VectorIndex.open(db, dir, DIM);
  assert.equal(index.size, ids.length);
  const back = readVectors(db, [ids[3]!]);
  assert.deepEqual([...back.get(ids[3]!)!], [...vectors[3]!]);
  const [top] = index.search(vectors[6]!, 3);
  assert.equal(top!.chunkId, ids[6]);
  assert.ok(Math.abs(top!.score - 1) < 1e-5);
  db.close();
});

test('removing chunks keeps the position map aligned with FAISS compaction', (t) => {
  const dir = tempDir();
  const { db, ids } = seed(dir, 4);
  storeVectors(db, ids, ids.map(unit));
  const { index } = VectorIndex.open(db, dir, DIM);
  index.remove([ids[0]!, ids[2]!, ids[5]!]);
  assert.equal(index.size, ids.length - 3);
  for (const id of [ids[1]!, ids[3]!, ids[7]!]) assert.equal(index.search(unit(id), 1)[0]!.chunkId, id);
  db.close();
});

test('start-up repairs an index that disagrees with SQLite: orphans dropped, missing vectors added, no duplicates', (t) => {
  const dir = tempDir();
  const { db, ids } = seed(dir, 3);
  storeVectors(db, ids.slice(0, 4), ids.slice(0, 4).map(unit));
  VectorIndex.open(db, dir, DIM).index.save();
  // As after a kill -9 between SQLite commits and the next FAISS save: two more vectors in SQLite, one chunk gone.
  storeVectors(db, ids.slice(4), ids.slice(4).map(unit));
  db.prepare('DELETE FROM chunks WHERE id = ?').run(ids[0]);
  const { index, repair } = VectorIndex.open(db, dir, DIM);
  assert.equal(repair.orphansRemoved, 1);
  assert.equal(repair.missingAdded, 2);
  const live = db.prepare('SELECT chunk_id FROM vectors ORDER BY chunk_id').pluck().all() as number[];
  assert.deepEqual([...index.chunkIds()].sort((a, b) => a - b), live);
  db.close();
});

test('a torn or corrupt FAISS file is rebuilt from SQLite', (t) => {
  const dir = tempDir();
  const { db, ids } = seed(dir, 2);
  storeVectors(db, ids, ids.map(unit));
  VectorIndex.open(db, dir, DIM).index.save();
  writeFileSync(join(dir, 'vectors.faiss'), 'not a faiss file');
  const { index, repair } = VectorIndex.open(db, dir, DIM);
  assert.equal(repair.rebuilt, true);
  assert.equal(index.size, ids.length);
  assert.equal(index.search(unit(ids[1]!), 1)[0]!.chunkId, ids[1]);
  db.close();
});
