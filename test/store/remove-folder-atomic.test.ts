// Removing a folder is one change: a crash part-way (here a SQLite error on the third document, standing in for
// kill -9 at that point, which SQLite rolls back the same way) leaves the folder and every one of its files, never
// a folder still listed with half its files gone (search would show the other half, and `index` would re-add them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../support/temp.js';
import { tinyEngine } from '../support/engine.js';

test('a folder removal that fails part-way removes nothing; run again it removes everything', async () => {
  const root = tempDir();
  const folder = join(root, 'docs');
  const storeDir = join(root, 'store');
  mkdirSync(folder);
  for (let i = 0; i < 6; i++) writeFileSync(join(folder, `d${i}.md`), `# D ${i}\n\nwing number ${i} and its boundary layer.\n`);
  const engine = await tinyEngine(storeDir);
  try {
    await engine.library.index([engine.library.add(folder)]);
    const raw = new Database(join(storeDir, 'localrag.sqlite'));
    const count = (sql: string) => raw.prepare(sql).pluck().get() as number;
    const before = { docs: count('SELECT count(*) FROM documents'), chunks: count('SELECT count(*) FROM chunks'), vectors: count('SELECT count(*) FROM vectors') };
    assert.equal(before.docs, 6);
    raw.exec(`CREATE TRIGGER main.crash BEFORE DELETE ON documents BEGIN
        SELECT CASE WHEN (SELECT count(*) FROM documents) <= 4 THEN RAISE(ABORT, 'injected crash') END;
      END;`);
    await assert.rejects(engine.library.remove(folder), /injected crash/);
    assert.deepEqual({ docs: count('SELECT count(*) FROM documents'), chunks: count('SELECT count(*) FROM chunks'), vectors: count('SELECT count(*) FROM vectors') }, before, 'nothing removed');
    assert.equal(count('SELECT count(*) FROM folders'), 1, 'the folder is still listed');
    raw.exec('DROP TRIGGER main.crash');
    raw.close();
    await engine.library.remove(folder);
    const after = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true });
    const left = ['documents', 'chunks', 'vectors', 'folders'].map((t) => after.prepare(`SELECT count(*) FROM ${t}`).pluck().get());
    after.close();
    assert.deepEqual(left, [0, 0, 0, 0], 'documents, chunks, vectors and the folder are gone');
  } finally {
    await engine.close();
  }
});
