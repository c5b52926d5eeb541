import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb, getMeta } from '../../core/store/db.js';
import { firstReleaseStore } from '../support/old-store.js';
import { replaceDocument } from '../../core/store/documents.js';
import { bm25Search } from '../../core/store/fulltext.js';
import { vectorToBlob } from '../../core/store/vector-index.js';
import { vectorDigest } from '../../core/store/vector-digest.js';
import { tempDir } from '../support/temp.js';

test('a version 1 store migrates in place: same chunk ids, vectors kept with digests, ids never reused afterwards', () => {
  const dir = tempDir();
  const old = firstReleaseStore(dir, [[7, 'supersonic flutter'], [9, 'boundary layer']]);
  const v = new Float32Array([0.6, 0.8]);
  old.prepare('INSERT INTO vectors(chunk_id, vector) VALUES (?, ?), (?, ?)').run(7, vectorToBlob(v), 9, vectorToBlob(v));
  old.close();

  const db = openDb(dir);
  assert.ok(Number(getMeta(db, 'schema_version')) >= 2, 'migrated (later steps may follow)');
  assert.deepEqual(db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all(), [7, 9]);
  assert.deepEqual(db.prepare('SELECT chunk_id, digest FROM vectors ORDER BY chunk_id').raw().all(), [[7, vectorDigest(7, v)], [9, vectorDigest(9, v)]], 'vectors survived the table rebuild, each with its digest');
  assert.equal(bm25Search(db, 'flutter', 5)[0]!.chunkId, 7, 'full-text search still points at the same ids');
  const again = replaceDocument(db, { path: '/f/a.md', folder: '/f', hash: 'h', size: 1, mtimeMs: 1 }, [{ text: 'new', charStart: 0, charEnd: 3, page: null, headingPath: [], tokenCount: 1 }], 'k');
  assert.ok(again.added[0]! > 9, 'ids continue after the highest ever used');
  assert.equal(db.prepare('SELECT count(*) FROM vectors').pluck().get(), 0, 'vectors still follow their chunks (the foreign key is back on)');
  db.close();
});
