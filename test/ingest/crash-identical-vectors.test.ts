// "A crash at any point recovers to exactly what a clean run gives", for the vectors themselves: an index run killed
// with SIGKILL part-way through embedding and then resumed, and an incremental re-index of one edited file, store
// the same bytes for every chunk as a clean run of the same folder. With the default int8 embedder this holds only
// because each passage is embedded in a call of its own (core/embed/embedder.ts, QUANTIZED_PASSAGES_PER_CALL):
// in shared batches a vector depends on its batch mates. With int8 batches of 32 put back, the incremental part
// fails (43 of 356 vectors differ: the edited file's chunks are embedded apart, and the clean run's groups after it
// shift); the kill-and-resume part happened to pass, since the indexer re-forms the same id-ordered groups of an
// unchanged folder, but a file changed while the app was down (or another split between threads) breaks that too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir, projectRoot } from '../support/temp.js';
import { testModelsDir } from '../support/models.js';
import { tinyEngine } from '../support/engine.js';
import { assertFaissEqualsSqlite } from '../support/vectors.js';

const FILES = 60;
// Small groups (embedBatchSize x 16 = 64 chunks) so the killed run has stored some groups and not others.
const SETTINGS = { embedBatchSize: 4, chunkTokens: 64, chunkOverlap: 8 };

function cli(args: string[]) {
  return spawn(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args, '--models', testModelsDir, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function indexToEnd(folder: string, storeDir: string): Promise<void> {
  const child = cli(['index', folder, '--store', storeDir]);
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, err);
}

function count(storeDir: string, sql: string): number {
  try {
    const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true, fileMustExist: true });
    try { return db.prepare(sql).pluck().get() as number; } finally { db.close(); }
  } catch { return 0; }
}

/** Every stored vector by (file, chunk number), with the chunk's text. */
function vectorsOf(storeDir: string): Map<string, { text: string; vector: Buffer }> {
  const db = new Database(join(storeDir, 'localrag.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT d.path, c.ord, c.text, v.vector FROM chunks c JOIN documents d ON d.id = c.document_id
      JOIN vectors v ON v.chunk_id = c.id`).all() as { path: string; ord: number; text: string; vector: Buffer }[];
    return new Map(rows.map((r) => [`${r.path}#${r.ord}`, { text: r.text, vector: r.vector }]));
  } finally {
    db.close();
  }
}

function assertSameVectors(actual: Map<string, { text: string; vector: Buffer }>, clean: Map<string, { text: string; vector: Buffer }>, what: string): void {
  assert.deepEqual([...actual.keys()].sort(), [...clean.keys()].sort(), `${what}: the same chunks`);
  const differ = [...clean].filter(([k, c]) => actual.get(k)!.text !== c.text || !actual.get(k)!.vector.equals(c.vector)).map(([k]) => k);
  assert.equal(differ.length, 0, `${what}: ${differ.length} of ${clean.size} vectors differ from a clean run's, e.g. ${differ.slice(0, 3).join(', ')}`);
}

/** Paragraphs of varied length, so chunks vary in length (and in batch mates, were they batched). */
function writeFolder(folder: string): void {
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const paragraphs = Array.from({ length: 3 + (i % 5) }, (_, j) =>
      `Section ${j} of report ${i}: ${'the shock wave meets the boundary layer and the flow separates '.repeat(1 + ((i + j * 3) % 6))}(case ${i * 7 + j}).`);
    writeFileSync(join(folder, `report-${String(i).padStart(3, '0')}.md`), `# Report ${i}\n\n${paragraphs.join('\n\n')}\n`);
  }
}

test('killed mid-embedding then resumed, and after an incremental re-index, every vector equals a clean run\'s bit for bit', { timeout: 300_000 }, async () => {
  const root = tempDir();
  const folder = join(root, 'docs');
  writeFolder(folder);
  const stores = { clean: join(root, 'clean'), crashed: join(root, 'crashed'), cleanEdited: join(root, 'clean-edited') };
  for (const dir of Object.values(stores)) await (await tinyEngine(dir, {}, SETTINGS)).close();

  await indexToEnd(folder, stores.clean);
  const clean = vectorsOf(stores.clean);
  assert.ok(clean.size > 4 * 64, `${clean.size} chunks: several embedding groups`);

  // The crashed run: SIGKILL once some groups of vectors are stored and files are still to come.
  const child = cli(['index', folder, '--store', stores.crashed]);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
  const started = Date.now();
  while (count(stores.crashed, 'SELECT count(*) FROM vectors') < 64 && Date.now() - started < 120_000) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  assert.equal(await exited, null, 'the first run was killed before it finished');
  const stored = count(stores.crashed, 'SELECT count(*) FROM vectors');
  assert.ok(stored >= 64 && stored < clean.size, `killed part-way (${stored} of ${clean.size} vectors stored)`);

  await indexToEnd(folder, stores.crashed);
  assertSameVectors(vectorsOf(stores.crashed), clean, 'killed and resumed');
  assertFaissEqualsSqlite(stores.crashed);

  // An incremental re-index: one file in the middle edited, its chunks embedded apart from every other file's.
  const edited = join(folder, 'report-031.md');
  writeFileSync(edited, readFileSync(edited, 'utf8').replace('Section 1 of report 31', 'Section 1 (revised) of report 31'));
  await indexToEnd(folder, stores.crashed);
  await indexToEnd(folder, stores.cleanEdited);
  assertSameVectors(vectorsOf(stores.crashed), vectorsOf(stores.cleanEdited), 'incremental re-index');
  assertFaissEqualsSqlite(stores.crashed);
});
