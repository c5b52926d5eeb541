// localrag eval on the real Cranfield collection with the tiny models: metrics per mode, the grid, the chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../core/engine.js';
import { tempDir, projectRoot, sharedDir } from '../support/temp.js';
import { testModelsDir, tinyModels } from '../support/models.js';

const cranfield = join(sharedDir, 'data', 'cranfield');

test('eval --grid --json on Cranfield: every mode, Pareto points, provenance warning, report files the app can show', { skip: existsSync(cranfield) ? false : `no ${cranfield}: needs ../shared beside the project` }, async () => {
  await tinyModels();
  const root = tempDir();
  const store = join(root, 'store');
  const args = ['eval', cranfield, '--grid', '--json', '--limit', '25', '--ns', '5,20', '--alphas', '0,0.5,1', '--png',
    '--store', store, '--models', testModelsDir, '--embedder', 'tiny-embedder', '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu', '--quiet'];
  const r = spawnSync(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.collection, 'cranfield');
  assert.ok(report.queries > 0 && report.queries <= 25);
  const modes = new Set(report.points.map((p: { mode: string }) => p.mode));
  for (const m of ['none', 'bi', 'cross', 'mixlm']) assert.ok(modes.has(m), `mode ${m} evaluated`);
  assert.equal(report.points.filter((p: { mode: string }) => p.mode === 'mixlm').length, 2 * 3, 'N x alpha grid');
  assert.ok(report.points.some((p: { pareto: boolean }) => p.pareto));
  for (const p of report.points) for (const k of ['ndcg10', 'mrr10', 'recall100', 'map', 'p50Ms']) assert.ok(Number.isFinite(p[k]), `${k} of ${p.mode}`);
  assert.match(report.warning, /meaningless/);
  for (const f of report.files) assert.ok(existsSync(f), f);
  assert.ok(readFileSync(join(store, 'eval', 'chart.png')).subarray(1, 4).toString() === 'PNG');

  // The app's Evaluate screen reads the same report from the same store.
  const engine = await createEngine({ storeDir: store, modelsDir: testModelsDir });
  const shown = await engine.getEvalReport({});
  await engine.close();
  assert.equal(shown?.points.length, report.points.length);
  assert.match(shown?.svg ?? '', /^<svg/);
});

test('eval --modes mixlm, none,mixlm and bi all finish on documents that span chunks; the report names retrieval and fingerprints', { skip: existsSync(cranfield) ? false : `no ${cranfield}: needs ../shared beside the project` }, async () => {
  const dirs = await tinyModels();
  const root = tempDir();
  const store = join(root, 'store');
  // 40 queries include Cranfield's query 38, which crashed the document-level grid; one store is indexed once.
  const run = (...extra: string[]) => {
    const args = ['eval', cranfield, '--json', '--limit', '40', '--store', store, '--models', testModelsDir, '--embedder', 'tiny-embedder',
      '--cross-encoder', 'tiny-cross-encoder', '--provider', 'cpu', '--quiet', ...extra];
    const r = spawnSync(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, `${extra.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const mixlm = run('--modes', 'mixlm', '--ns', '20');
  assert.deepEqual(mixlm.points.map((p: { mode: string }) => p.mode), ['mixlm']);
  assert.equal(mixlm.retrieval, 'hybrid');
  const byRole = Object.fromEntries(mixlm.models.map((m: { role: string }) => [m.role, m]));
  assert.match(byRole['embedder'].fingerprint, /^[0-9a-f]{16}$/);
  assert.match(byRole['cross-encoder'].fingerprint, /^[0-9a-f]{16}$/);
  assert.equal(byRole['embedder'].dir, dirs.embedderDir);
  assert.ok(mixlm.provenance.some((l: string) => l.includes(dirs.crossEncoderDir) && l.includes(byRole['cross-encoder'].fingerprint)));
  assert.equal(mixlm.mapDepth, 1000);

  const both = run('--modes', 'none,mixlm', '--ns', '20');
  assert.deepEqual(both.points.map((p: { mode: string }) => p.mode), ['none', 'mixlm']);
  assert.equal(both.rescoredBecause, null, 'same models and settings: the cached scores are reused');
  assert.equal(both.scoresReused, both.queries);
  assert.equal(both.points[1].ndcg10, mixlm.points[0].ndcg10);

  const bi = run('--modes', 'bi', '--retrieval', 'bm25');
  assert.equal(bi.retrieval, 'bm25');
  assert.match(bi.rescoredBecause, /retrieval hybrid \(now bm25\)/);

  const bad = spawnSync(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), 'eval', cranfield, '--ns', '0', '--store', store], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ns takes whole numbers of at least 1/);
});
