// The approximate index for large collections (usearch HNSW over half-precision vectors), with the same integrity
// rules as the flat one: its file is pinned by sha256, its vectors by digest, and a collection that grows past the
// bound moves to it in the background while searches go on. The threshold is lowered so the tests stay small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { storeVectors, VectorIndex } from '../../core/store/vector-index.js';
import { checkVectors } from '../../core/store/doctor.js';
import { tempDir } from '../support/temp.js';

const DIM = 16;
const unit = (seed: number) => {
  const v = new Float32Array(DIM).map((_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453 % 1);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

function store(nDocs: number, dir = tempDir()) {
  const db = openDb(dir);
  const ids: number[] = [];
  for (let d = 0; d < nDocs; d++) {
    const added = replaceDocument(db, { path: `/f/d${d}.txt`, folder: '/f', hash: `h${d}`, size: 1, mtimeMs: 1 },
      Array.from({ length: 10 }, (_, i) => ({ text: `d${d} c${i}`, charStart: i, charEnd: i + 1, page: null, headingPath: [], tokenCount: 2 })), 'k').added;
    storeVectors(db, added, added.map(unit));
    ids.push(...added);
  }
  return { dir, db, ids };
}

test('above the bound the index is an HNSW graph that finds each vector, survives a reopen and is pinned by sha256', () => {
  const { dir, db, ids } = store(30);
  const { index, repair } = VectorIndex.open(db, dir, DIM, { hnswFrom: 100 });
  assert.equal(index.kind, 'hnsw');
  assert.equal(repair.rebuilt, true);
  for (const id of ids.slice(0, 50)) assert.equal(index.search(unit(id), 1)[0]!.chunkId, id);
  index.close();

  const again = VectorIndex.open(db, dir, DIM, { hnswFrom: 100 });
  assert.equal(again.index.kind, 'hnsw');
  assert.deepEqual(again.repair, { orphansRemoved: 0, staleReplaced: 0, missingAdded: 0, rebuilt: false }, 'loaded as saved');
  again.index.close();
  assert.equal(checkVectors(db, dir, { repair: false, hnswFrom: 100 }).ok, true);

  const file = join(dir, 'vectors.usearch');
  const bytes = readFileSync(file);
  bytes[bytes.length - 5]! ^= 0xff;
  writeFileSync(file, bytes);
  const report = checkVectors(db, dir, { repair: false, hnswFrom: 100 });
  assert.equal(report.found.unreadable, true, 'a changed byte is caught by the pinned sha256');
  const fixed = checkVectors(db, dir, { repair: true, hnswFrom: 100 });
  assert.equal(fixed.ok, true);
  assert.equal(fixed.after!.kind, 'hnsw');
  db.close();
});

test('HNSW entries follow SQLite by digest: a replaced vector, a removed chunk and a new one are patched', () => {
  const { dir, db, ids } = store(20);
  VectorIndex.open(db, dir, DIM, { hnswFrom: 100 }).index.close();
  storeVectors(db, [ids[3]!], [unit(10_000)]);
  db.prepare('DELETE FROM chunks WHERE id = ?').run(ids[4]);
  const { index, repair } = VectorIndex.open(db, dir, DIM, { hnswFrom: 100 });
  assert.equal(repair.staleReplaced, 1);
  assert.equal(repair.orphansRemoved, 1);
  assert.equal(index.search(unit(10_000), 1)[0]!.chunkId, ids[3]);
  assert.ok(index.search(unit(ids[4]!), 5).every((r) => r.chunkId !== ids[4]));
  index.close();
  db.close();
});

test('a collection that grows past the bound moves to HNSW in the background; searches keep answering meanwhile', async () => {
  const { dir, db } = store(5);
  const { index } = VectorIndex.open(db, dir, DIM, { hnswFrom: 100 });
  assert.equal(index.kind, 'flat');
  const more: number[] = [];
  for (let d = 5; d < 40; d++) {
    const added = replaceDocument(db, { path: `/f/d${d}.txt`, folder: '/f', hash: `h${d}`, size: 1, mtimeMs: 1 },
      Array.from({ length: 10 }, (_, i) => ({ text: `d${d} c${i}`, charStart: i, charEnd: i + 1, page: null, headingPath: [], tokenCount: 2 })), 'k').added;
    storeVectors(db, added, added.map(unit));
    index.add(added, added.map(unit));
    more.push(...added);
  }
  index.save(); // starts the move
  assert.equal(index.kind, 'flat', 'the flat index still answers while the graph is built');
  assert.equal(index.search(unit(more[7]!), 1)[0]!.chunkId, more[7]);
  // A change during the build is caught up at the swap.
  db.prepare('DELETE FROM chunks WHERE id = ?').run(more[0]);
  await index.settled();
  assert.equal(index.kind, 'hnsw');
  assert.equal(index.size, 5 * 10 + more.length - 1);
  assert.equal(index.search(unit(more[9]!), 1)[0]!.chunkId, more[9]);
  index.close();
  assert.equal(JSON.parse(readFileSync(join(dir, 'vectors.ids.json'), 'utf8')).kind, 'hnsw');
  assert.equal(checkVectors(db, dir, { repair: false, hnswFrom: 100 }).ok, true);
  db.close();
});
