// The targeted crash from issue 9: kill -9 the indexer while it re-embeds an edited document that holds the
// highest chunk ids. Chunk ids used to be reused, so the saved FAISS file kept old vectors under ids that SQLite
// gave to new chunks, and counts agreed while content did not. Afterwards FAISS must equal SQLite vector by vector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir, projectRoot } from '../support/temp.js';
import { testModelsDir } from '../support/models.js';
import { tinyEngine } from '../support/engine.js';
import { assertFaissEqualsSqlite, runCli } from '../support/vectors.js';

const paragraphs = (tag: string, n: number) => Array.from({ length: n }, (_, j) => `${tag} paragraph ${j}: the wing's boundary layer thickens near the trailing edge at Mach ${j % 7}.`).join('\n\n');

function query<T>(storeDir: string, sql: string, ...args: unknown[]): T | null {
  try {
    const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true, fileMustExist: true });
    try { return db.prepare(sql).pluck().get(...args) as T; } finally { db.close(); }
  } catch { return null; } // busy or mid-checkpoint: ask again
}

test('kill -9 while re-embedding the document with the highest chunk ids: FAISS ends equal to SQLite vector by vector', async () => {
  const root = tempDir();
  const folder = join(root, 'docs');
  const storeDir = join(root, 'store');
  mkdirSync(folder);
  for (let i = 0; i < 8; i++) writeFileSync(join(folder, `a${i}.md`), `# A ${i}\n\n${paragraphs(`a${i}`, 6)}\n`);
  const engine = await tinyEngine(storeDir, {}, { embedBatchSize: 2, chunkTokens: 80, chunkOverlap: 4 });
  await engine.library.index([engine.library.add(folder)]);
  // The last document indexed holds the highest chunk ids.
  writeFileSync(join(folder, 'z-last.md'), `# Z\n\n${paragraphs('z', 400)}\n`);
  await engine.library.index();
  await engine.close();
  const lastId = query<number>(storeDir, 'SELECT max(id) FROM chunks')!;
  assertFaissEqualsSqlite(storeDir);

  writeFileSync(join(folder, 'z-last.md'), `# Z edited\n\n${paragraphs('z-edited', 400)}\n`);
  const child = spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), 'index', folder, '--store', storeDir, '--models', testModelsDir, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  const started = Date.now();
  // Wait until the edited document's new chunks are committed and some (not all) of their vectors are stored.
  for (;;) {
    const embedded = query<number>(storeDir, `SELECT count(*) FROM vectors v JOIN chunks c ON c.id = v.chunk_id
      JOIN documents d ON d.id = c.document_id WHERE d.path LIKE '%z-last.md' AND c.text LIKE '%z-edited%'`) ?? 0;
    if (embedded > 0) break;
    assert.ok(Date.now() - started < 120_000, 'the edited document started re-embedding');
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  assert.equal(await exited, null, 'killed mid-run');
  const newIds = query<number>(storeDir, 'SELECT min(c.id) FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path LIKE ?', '%z-last.md')!;
  assert.ok(newIds > lastId, 'the edited document got new chunk ids, never reused ones');

  const check = await runCli(['doctor', '--check', '--json', '--store', storeDir, '--quiet']);
  const found = JSON.parse(check.stdout) as { ok: boolean; found: { orphans: number; stale: number } };
  assert.equal(found.found.stale, 0, 'no saved vector sits under an id SQLite gave to another chunk');

  const rerun = await runCli(['index', folder, '--store', storeDir, '--json', '--quiet']);
  assert.equal(rerun.code, 0, rerun.stderr);
  assertFaissEqualsSqlite(storeDir);
  const chunks = query<number>(storeDir, 'SELECT count(*) FROM chunks')!;
  assert.equal(query<number>(storeDir, 'SELECT count(*) FROM vectors'), chunks, 'every chunk has its vector');

  const doctor = await runCli(['doctor', '--json', '--store', storeDir, '--quiet']);
  assert.equal(doctor.code, 0, doctor.stderr);
  const report = JSON.parse(doctor.stdout) as { ok: boolean; repaired: boolean; found: { matched: number } };
  assert.equal(report.ok, true);
  assert.equal(report.repaired, false, 'the index run already left nothing to repair');
  assert.equal(report.found.matched, chunks);
});
