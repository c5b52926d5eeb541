import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb, SCHEMA_V1, getMeta } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { bm25Search } from '../../core/store/fulltext.js';
import { vectorToBlob } from '../../core/store/vector-index.js';
import { vectorDigest } from '../../core/store/vector-digest.js';
import { tempDir } from '../support/temp.js';

test('a version 1 store migrates in place: same chunk ids, vectors kept with digests, ids never reused afterwards', () => {
  const dir = tempDir();
  const old = new Database(join(dir, 'localrag.sqlite'));
  old.pragma('foreign_keys = ON');
  old.exec(SCHEMA_V1);
  old.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', '1')").run();
  old.prepare("INSERT INTO documents(id, path, folder, state, chunks) VALUES (1, '/f/a.md', '/f', 'indexed', 2)").run();
  const insert = old.prepare("INSERT INTO chunks(id, document_id, ord, text, char_start, char_end, token_count) VALUES (?, 1, ?, ?, 0, 5, 2)");
  insert.run(7, 0, 'supersonic flutter');
  insert.run(9, 1, 'boundary layer');
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
