// kill -9 during indexing, then run again: nothing committed is lost, SQLite and FAISS agree, nothing is doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import faiss from 'faiss-node';
import { tempDir, projectRoot } from '../support/temp.js';
import { testModelsDir } from '../support/models.js';
import { tinyEngine } from '../support/engine.js';

const FILES = 120;

function runCli(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function indexedDocs(storeDir: string): number {
  try {
    const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true, fileMustExist: true });
    try { return db.prepare("SELECT count(*) FROM documents WHERE state = 'indexed'").pluck().get() as number; } finally { db.close(); }
  } catch { return 0; }
}

test('a kill -9 mid-index followed by a rerun leaves SQLite and FAISS consistent, with every file indexed once', async (t) => {
  const root = tempDir();
  const folder = join(root, 'docs');
  const storeDir = join(root, 'store');
  mkdirSync(folder);
  for (let i = 0; i < FILES; i++) {
    const body = Array.from({ length: 40 }, (_, j) => `Document ${i} paragraph ${j} talks about wing loading, boundary layers and shock waves number ${i * j}.`).join('\n\n');
    writeFileSync(join(folder, `doc-${String(i).padStart(3, '0')}.md`), `# Doc ${i}\n\n${body}\n`);
  }
  await (await tinyEngine(storeDir)).close();

  const child = runCli(['index', folder, '--store', storeDir, '--models', testModelsDir, '--quiet']);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  const started = Date.now();
  while (indexedDocs(storeDir) < 10 && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGKILL');
  assert.equal(await exited, null, 'the first run was killed before it finished');
  const committed = indexedDocs(storeDir);
  assert.ok(committed >= 10 && committed < FILES, `killed part-way (${committed} of ${FILES} committed)`);

  const rerun = runCli(['index', folder, '--store', storeDir, '--models', testModelsDir, '--json', '--quiet']);
  let out = '';
  rerun.stdout!.on('data', (d) => { out += d; });
  const code = await new Promise((resolve) => rerun.on('exit', resolve));
  assert.equal(code, 0);
  const summary = JSON.parse(out);
  assert.ok(summary.filesUnchanged >= committed, 'files committed before the kill are not redone');
  assert.equal(summary.filesIndexed + summary.filesUnchanged, FILES);

  const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true });
  t.after(() => db.close());
  assert.equal(db.prepare("SELECT count(*) FROM documents WHERE state = 'indexed'").pluck().get(), FILES);
  assert.equal(db.prepare('SELECT count(*) FROM (SELECT document_id, ord FROM chunks GROUP BY document_id, ord HAVING count(*) > 1)').pluck().get(), 0, 'no duplicated chunks');
  assert.equal(db.prepare('SELECT count(*) FROM documents d WHERE chunks != (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)').pluck().get(), 0);
  const chunkIds = db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all() as number[];
  const vectorIds = db.prepare('SELECT chunk_id FROM vectors ORDER BY chunk_id').pluck().all() as number[];
  assert.deepEqual(vectorIds, chunkIds, 'every chunk has exactly one stored vector');
  const saved = JSON.parse(readFileSync(join(storeDir, 'vectors.ids.json'), 'utf8')) as { ids: number[] };
  assert.deepEqual([...saved.ids].sort((a, b) => a - b), chunkIds, 'FAISS holds the same chunk ids, no duplicates, no orphans');
  assert.equal(faiss.IndexFlatIP.read(join(storeDir, 'vectors.faiss')).ntotal(), chunkIds.length);
});
