// The engine end to end on real parts: files on disk, SQLite, FAISS, ONNX sessions on the tiny synthesised models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../core/engine.js';
import { tempDir } from '../support/temp.js';
import { testModelsDir, tinyModels } from '../support/models.js';
import { tinyEngine } from '../support/engine.js';

function writeCorpus(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const topics = ['supersonic wing flutter', 'laminar boundary layer transition', 'hypersonic heat transfer', 'shock wave interaction', 'propeller noise'];
  topics.forEach((topic, i) => {
    const paras = Array.from({ length: 60 }, (_, j) => `Paragraph ${j} of the ${topic} report: measurements of ${topic} at station ${j} and Mach ${i + 1}.`);
    writeFileSync(join(folder, `report-${i}.md`), `# ${topic}\n\n## Method\n\n${paras.slice(0, 30).join('\n\n')}\n\n## Results\n\n${paras.slice(30).join('\n\n')}\n`);
  });
}

test('index then search: 100 candidates with dense and BM25 evidence, MixLM fields and per-stage timings', async (t) => {
  const root = tempDir();
  writeCorpus(join(root, 'docs'));
  const engine = await tinyEngine(join(root, 'store'), {}, { chunkTokens: 64, chunkOverlap: 8 });
  t.after(() => engine.close());
  const summary = await engine.reindex({ path: join(root, 'docs') });
  assert.equal(summary.filesIndexed, 5);
  assert.ok(summary.chunksAdded > 100, `enough chunks for 100 candidates (${summary.chunksAdded})`);
  assert.equal(summary.vectorsAdded, summary.chunksAdded);
  assert.equal(summary.provider, 'cpu');

  const r = await engine.search({ question: 'hypersonic heat transfer results', params: { mode: 'mixlm', topN: 20, alpha: 0.7, finalK: 10 } });
  assert.equal(r.candidates.length, 100);
  assert.equal(r.top.length, 10);
  assert.equal(r.candidates.filter((c) => c.crossScored).length, 20);
  assert.deepEqual(r.candidates.map((c) => c.rankAfter), Array.from({ length: 100 }, (_, i) => i + 1));
  assert.ok(r.candidates.every((c) => typeof c.denseScore === 'number' && c.rankBefore >= 1));
  assert.ok(r.candidates.some((c) => c.bm25Rank !== null));
  assert.ok(r.top[0]!.text.length > 0 && r.top[0]!.path.endsWith('.md'));
  const stages = r.timings.map((x) => x.stage);
  for (const s of ['embedQuery', 'faiss', 'bm25', 'fuse', 'bi', 'cross', 'fusion'] as const) assert.ok(stages.includes(s), `stage ${s}`);
  assert.ok(r.timings.every((x) => Number.isFinite(x.ms) && x.ms >= 0));
  assert.equal(r.timings.find((x) => x.stage === 'cross')!.provider, 'cpu');

  const again = await engine.refuse({ queryId: r.queryId, params: { alpha: 0 } });
  const biOrder = [...r.candidates].sort((a, b) => b.biScore! - a.biScore! || a.rankBefore - b.rankBefore).slice(0, 5).map((c) => c.chunkId);
  assert.deepEqual(again.candidates.slice(0, 5).map((c) => c.chunkId), biOrder, 'alpha 0 orders by the bi-encoder alone');
});

test('changed and deleted files are re-indexed incrementally; unchanged ones are not touched', async (t) => {
  const root = tempDir();
  const folder = join(root, 'docs');
  writeCorpus(folder);
  const engine = await tinyEngine(join(root, 'store'));
  t.after(() => engine.close());
  await engine.reindex({ path: folder });
  writeFileSync(join(folder, 'report-0.md'), '# New\n\nA completely new text about ornithopters.\n');
  rmSync(join(folder, 'report-1.md'));
  const s = await engine.reindex({ path: folder });
  assert.equal(s.filesIndexed, 1);
  assert.equal(s.filesRemoved, 1);
  assert.equal(s.filesUnchanged, 3);
  const r = await engine.search({ question: 'ornithopters', params: { mode: 'none' } });
  assert.ok(r.top[0]!.path.endsWith('report-0.md'));
  const status = await engine.getStatus();
  assert.equal(status.vectors, status.chunks, 'vectors follow their chunks');
  utimesSync(join(folder, 'report-2.md'), new Date(), new Date(Date.now() + 5000));
  const touched = await engine.reindex({ path: folder });
  assert.equal(touched.filesIndexed, 0, 'a touched but unchanged file keeps its chunks');
  assert.equal(touched.chunksAdded, 0);
});

test('with no embedder the text is indexed, BM25 answers, and dense/rerank report "model missing"', async (t) => {
  const root = tempDir();
  writeCorpus(join(root, 'docs'));
  const engine = await createEngine({ storeDir: join(root, 'store'), modelsDir: join(root, 'no-models') });
  t.after(() => engine.close());
  const s = await engine.reindex({ path: join(root, 'docs') });
  assert.equal(s.filesIndexed, 5);
  assert.equal(s.dense.status, 'model-missing');
  const r = await engine.search({ question: 'propeller noise' });
  assert.ok(r.candidates.length > 0);
  assert.ok(r.top[0]!.path.endsWith('report-4.md'));
  assert.equal(r.dense.status, 'model-missing');
  assert.equal(r.cross.status, 'model-missing');
  assert.match((r.cross as { error?: { action?: string } }).error?.action ?? '', /localrag models|Library/);
});

test('settings are validated, persisted, and survive a restart; a wrong value is refused with what is allowed', async (t) => {
  const root = tempDir();
  const storeDir = join(root, 'store');
  const engine = await createEngine({ storeDir, modelsDir: testModelsDir });
  await engine.updateSettings({ alpha: 0.4, topN: 30 });
  // A pair that is only valid together (neither default allows the other) survives the restart too.
  await engine.updateSettings({ chunkTokens: 32, chunkOverlap: 4 });
  await assert.rejects(engine.updateSettings({ rerankMode: 'fancy' as never }), /Rerank mode must be one of none, bi, cross, mixlm \(got "fancy"\)/);
  await engine.close();
  const again = await createEngine({ storeDir, modelsDir: testModelsDir });
  t.after(() => again.close());
  const s = await again.getSettings();
  assert.equal(s.alpha, 0.4);
  assert.equal(s.topN, 30);
  assert.deepEqual([s.chunkTokens, s.chunkOverlap], [32, 4]);
});

test('the folder watcher keeps the index current while the app runs', async (t) => {
  const root = tempDir();
  const folder = join(root, 'docs');
  writeCorpus(folder);
  const engine = await tinyEngine(join(root, 'store'), { watch: true });
  t.after(() => engine.close());
  await engine.addFolder({ path: folder });
  const done = () => new Promise<void>((resolve) => {
    const off = engine.subscribe((event, p) => { if (event === 'onIndexProgress' && (p as { phase: string }).phase === 'done') { off(); resolve(); } });
  });
  await done();
  const next = done();
  writeFileSync(join(folder, 'zeppelin.md'), '# Airships\n\nRigid zeppelin hulls and their gas cells.\n');
  await next;
  const r = await engine.search({ question: 'zeppelin gas cells', params: { mode: 'none' } });
  assert.ok(r.top[0]!.path.endsWith('zeppelin.md'), 'a new file is searchable without a manual re-index');
});

test('what changed while the app was closed is caught up when it starts watching, without a call', async (t) => {
  const root = tempDir();
  const folder = join(root, 'docs');
  writeCorpus(folder);
  const store = join(root, 'store');
  const first = await tinyEngine(store);
  await first.reindex({ path: folder });
  await first.close();
  writeFileSync(join(folder, 'zeppelin.md'), '# Airships\n\nRigid zeppelin hulls and their gas cells.\n');
  rmSync(join(folder, 'report-4.md'));
  const engine = await tinyEngine(store, { watch: true });
  t.after(() => engine.close());
  const end = Date.now() + 60_000;
  let paths: string[] = [];
  while (Date.now() < end) {
    const status = await engine.getStatus();
    if (status.indexing === null || status.indexing.phase === 'done') {
      paths = (await engine.search({ question: 'zeppelin gas cells propeller noise', params: { mode: 'none' } })).top.map((r) => r.path);
      if (status.documents === 5 && paths.some((p) => p.endsWith('zeppelin.md'))) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal((await engine.getStatus()).documents, 5, 'one file added and one removed while closed');
  assert.ok(paths.some((p) => p.endsWith('zeppelin.md')), 'the new file is searchable');
  assert.ok(!paths.some((p) => p.endsWith('report-4.md')), 'the removed file is gone');
});

test('removing a folder while it is being indexed stops that run at once, and its other folders are indexed after', async (t) => {
  const root = tempDir();
  const big = join(root, 'big');
  mkdirSync(big);
  for (let i = 0; i < 200; i++) writeFileSync(join(big, `note-${i}.md`), `# Note ${i}\n\nWing ${i} has a chord of ${i} mm.\n`);
  const small = join(root, 'small');
  writeCorpus(small);
  const engine = await tinyEngine(join(root, 'store'));
  t.after(() => engine.close());
  // Both known, big first: the run over all folders reaches small only after big, so small is indexed by the run
  // that follows the removal.
  engine.library.add(big);
  engine.library.add(small);
  const started = new Promise<void>((resolve) => {
    const off = engine.subscribe((event, p) => {
      if (event === 'onIndexProgress' && (p as { filesDone: number }).filesDone >= 1) { off(); resolve(); }
    });
  });
  const run = engine.reindex({});
  await started;
  await engine.removeFolder({ path: big });
  const summary = await run;
  assert.equal(summary.cancelled, true, 'the run was stopped, not finished first');
  const end = Date.now() + 60_000;
  let status = await engine.getStatus();
  while ((status.indexing !== null && status.indexing.phase !== 'done') || status.documents < 5) {
    if (Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 100));
    status = await engine.getStatus();
  }
  assert.deepEqual(status.folders, [small]);
  assert.equal(status.documents, 5, 'only the remaining folder\'s files, all of them');
});

test('an embedder that arrives later adds vectors to text indexed without one', async (t) => {
  const root = tempDir();
  writeCorpus(join(root, 'docs'));
  const modelsDir = join(root, 'models');
  const engine = await createEngine({ storeDir: join(root, 'store'), modelsDir });
  t.after(() => engine.close());
  await engine.reindex({ path: join(root, 'docs') });
  assert.equal((await engine.getStatus()).vectors, 0);
  const { embedderDir } = await tinyModels();
  await engine.updateSettings({ embedderModel: 'tiny-embedder', executionProvider: 'cpu' });
  await engine.importModel({ role: 'embedder', folder: embedderDir, id: 'tiny-embedder' });
  await engine.reindex({});
  const status = await engine.getStatus();
  assert.equal(status.dense.status, 'ok');
  assert.ok(status.vectors > 0);
  assert.equal(status.vectors, status.chunks, 're-chunked in the embedder\'s tokens and every chunk embedded');
  const r = await engine.search({ question: 'propeller noise', params: { mode: 'bi' } });
  assert.ok(r.candidates.every((c) => c.denseScore !== null));
});

test('a passage opens with its document around it, at the exact offsets', async (t) => {
  const root = tempDir();
  writeCorpus(join(root, 'docs'));
  const engine = await tinyEngine(join(root, 'store'), {}, { chunkTokens: 64, chunkOverlap: 8 });
  t.after(() => engine.close());
  await engine.reindex({ path: join(root, 'docs') });
  const r = await engine.search({ question: 'propeller noise results', params: { mode: 'none' } });
  const p = await engine.getPassage({ chunkId: r.top[0]!.chunkId });
  assert.ok(p.documentText && p.documentText.length > p.text.length);
  assert.equal(p.documentText.slice(p.charStart, p.charEnd), p.text);
  writeFileSync(p.path, 'rewritten since indexing');
  assert.equal((await engine.getPassage({ chunkId: p.chunkId })).documentText, undefined, 'a changed file gives no misleading context');
});
