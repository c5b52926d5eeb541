// Stored vectors belong to the embedder (id + weights) that made them. Reads never replace them: a search with
// another embedder answers with BM25 and says why. Index runs re-embed every chunk, with progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../core/engine.js';
import type { IndexProgress } from '../../core/contract/api.js';
import { tempDir } from '../support/temp.js';
import { synthTinyEmbedder } from '../support/models.js';
import { assertFaissEqualsSqlite, runCli } from '../support/vectors.js';

async function fixture() {
  const root = tempDir();
  const folder = join(root, 'docs');
  mkdirSync(folder);
  const body = (i: number) => Array.from({ length: 8 }, (_, j) => `The wing flutter test ${i}.${j} measured the boundary layer at several Mach numbers; shock waves formed near the trailing edge.`).join('\n\n');
  for (let i = 0; i < 6; i++) writeFileSync(join(folder, `n${i}.md`), `# Note ${i}\n\n${body(i)}\n`);
  const modelsDir = join(root, 'models');
  await synthTinyEmbedder(modelsDir, 'tiny-embedder', 1);
  const storeDir = join(root, 'store');
  const settings = { embedderModel: 'tiny-embedder', crossEncoderModel: 'no-cross-encoder', executionProvider: 'cpu' as const, embedBatchSize: 1, chunkTokens: 80, chunkOverlap: 4 };
  const open = async () => {
    const engine = await createEngine({ storeDir, modelsDir });
    await engine.updateSettings(settings);
    return engine;
  };
  const engine = await open();
  const first = await engine.library.index([engine.library.add(folder)]);
  await engine.close();
  return { folder, modelsDir, storeDir, open, first };
}

test('search --embedder <another model> leaves the stored vectors untouched and answers with BM25 and a note', async () => {
  const { modelsDir, storeDir, open, first } = await fixture();
  await synthTinyEmbedder(modelsDir, 'other-embedder', 2);
  const before = assertFaissEqualsSqlite(storeDir).vectors;
  assert.ok(before > 0 && before === first.vectorsAdded);

  const r = await runCli(['search', 'wing flutter', '--embedder', 'other-embedder', '--json', '--store', storeDir, '--models', modelsDir, '--quiet'], { models: false });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { candidates: unknown[]; dense: { status: string; error?: { code: string; message: string; params?: Record<string, string> } } };
  assert.ok(result.candidates.length > 0, 'BM25 still answers');
  assert.equal(result.dense.status, 'unavailable');
  assert.equal(result.dense.error!.code, 'vectors-from-other-embedder');
  assert.match(result.dense.error!.message, /made by tiny-embedder, not other-embedder/);
  assert.deepEqual(result.dense.error!.params, { storedModel: 'tiny-embedder', model: 'other-embedder' });

  assert.equal(assertFaissEqualsSqlite(storeDir).vectors, before, 'the same vectors, byte for byte, before and after');
  const engine = await open();
  const status = await engine.getStatus();
  assert.equal(status.vectors, before);
  assert.equal(status.vectorState, 'current', 'the saved embedder still matches');
  await engine.close();
});

test('new weights under the same id: status says stale, search falls back to BM25, and index re-embeds every chunk', async () => {
  const { folder, modelsDir, storeDir, open, first } = await fixture();
  await synthTinyEmbedder(modelsDir, 'tiny-embedder', 2); // same id, other weights
  let engine = await open();
  let status = await engine.getStatus();
  assert.equal(status.vectorState, 'stale');
  assert.equal(status.vectors, first.vectorsAdded, 'status did not touch the vectors');
  const search = await engine.search({ question: 'wing flutter' });
  assert.equal(search.dense.status, 'unavailable');
  assert.match((search.dense as { error: { message: string } }).error.message, /other weights of tiny-embedder/);
  assert.ok(search.candidates.length > 0);

  // An interrupted re-embed leaves every stored vector from the new weights and says how many are left.
  const abort = new AbortController();
  const off = engine.subscribe((event, p) => { if (event === 'onIndexProgress' && (p as IndexProgress).phase === 'embedding') abort.abort(); });
  await engine.library.index([folder], abort.signal);
  off();
  status = await engine.getStatus();
  assert.equal(status.vectorState, 're-embedding');
  assert.ok(status.chunksWithoutVectors! > 0 && status.chunksWithoutVectors! < status.chunks, `part-way (${status.chunksWithoutVectors} of ${status.chunks} left)`);
  await engine.close();

  engine = await open();
  const phases = new Set<string>();
  engine.subscribe((event, p) => { if (event === 'onIndexProgress') phases.add((p as IndexProgress).phase); });
  const second = await engine.library.index([folder]);
  status = await engine.getStatus();
  assert.equal(status.vectorState, 'current');
  assert.equal(status.chunksWithoutVectors, 0);
  assert.ok(phases.has('embedding'));
  assert.ok(second.vectorsAdded > 0 && second.vectorsAdded < status.chunks, 'the second run embedded only what was left');
  await engine.close();
  assertFaissEqualsSqlite(storeDir);

  // The whole story in one run: new weights again, one index run, every chunk re-embedded.
  await synthTinyEmbedder(modelsDir, 'tiny-embedder', 3);
  const cli = await runCli(['index', folder, '--json', '--store', storeDir, '--models', modelsDir, '--quiet'], { models: false });
  assert.equal(cli.code, 0, cli.stderr);
  const summary = JSON.parse(cli.stdout) as { vectorsAdded: number; status: { chunks: number; vectorState: string } };
  assert.equal(summary.vectorsAdded, summary.status.chunks, 'vectorsAdded equals the chunk count');
  assert.equal(summary.status.vectorState, 'current');
  assertFaissEqualsSqlite(storeDir);
});
