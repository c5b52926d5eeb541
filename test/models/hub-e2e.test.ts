// The default models as a user gets them: `localrag models download` against the replayed hub (a real child
// process), then index and search on what was installed — the XLM-R tokenizer, the int8 file for this CPU, the
// cross-encoder behind a renamed repo — and `models list --json` with the revision and sha256 of every file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ModelStatus } from '../../core/contract/api.js';
import { createEngine } from '../../core/engine.js';
import { HUB_SOURCES } from '../../core/models/hub-sources.js';
import { projectRoot, tempDir } from '../support/temp.js';
import { startFakeHub } from './fake-hub.js';
import { hubFixture } from './hub-fixture.js';

const E5 = 'multilingual-e5-small';
const L6 = 'ms-marco-MiniLM-L-6-v2';

/** The CLI as a child process, asynchronously: the fake hub it talks to runs in this process's event loop. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'core/cli/bin.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 },
      (err, out, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out, err: stderr }));
  });
}

test('models download of both default ids, then index and search on them', async (t) => {
  const fx = await hubFixture();
  const hub = await startFakeHub({ repos: fx.repos, renamed: fx.renamed });
  t.after(() => hub.close());
  const root = tempDir();
  const common = ['--store', join(root, 'store'), '--models', join(root, 'models'), '--quiet'];
  const vnni = { LOCALRAG_CPU_FLAGS: 'avx2 avx512bw avx512_vnni' };

  for (const id of [E5, L6]) {
    const r = await cli(['models', 'download', id, '--hub', hub.host, '--json', ...common], vnni);
    assert.equal(r.code, 0, r.err);
    const status = JSON.parse(r.out) as ModelStatus;
    assert.equal(status.present, true);
    assert.equal(status.revision, HUB_SOURCES[id]!.main.revision);
    const paths = status.files!.map((f) => f.path);
    assert.ok(paths.includes('onnx/model.onnx') && paths.includes('onnx/model_quantized.onnx'), `${id}: fp32 and int8 in place`);
  }

  const listed = await cli(['models', 'list', '--json', ...common]);
  assert.equal(listed.code, 0, listed.err);
  const models = JSON.parse(listed.out) as ModelStatus[];
  for (const id of [E5, L6]) {
    const m = models.find((x) => x.id === id)!;
    assert.equal(m.revision, HUB_SOURCES[id]!.main.revision, `${id}: revision listed`);
    assert.ok(m.files!.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)), `${id}: sha256 of every file listed`);
  }

  const docs = join(root, 'docs');
  mkdirSync(docs);
  writeFileSync(join(docs, 'lift.md'), '# Lift\n\nHow wings generate lift: the pressure difference across the wing surface.\n\n' +
    'Boundary layer flow and heat transfer were measured on a flat plate.\n\n翼の揚力は圧力差から生まれる。\n');
  writeFileSync(join(docs, 'shock.md'), '# Shock waves\n\nA shock wave forms ahead of the cylinder at supersonic speed.\n');
  const engine = await createEngine({ storeDir: join(root, 'store'), modelsDir: join(root, 'models') });
  t.after(() => engine.close());
  await engine.updateSettings({ embedderModel: E5, crossEncoderModel: L6, executionProvider: 'cpu', preferQuantized: true, chunkTokens: 64, chunkOverlap: 8 });
  const summary = await engine.reindex({ path: docs });
  assert.equal(summary.filesIndexed, 2);
  assert.ok(summary.chunksAdded >= 2);
  assert.equal(summary.vectorsAdded, summary.chunksAdded, 'every chunk embedded by the downloaded e5');
  for (const question of ['how do wings generate lift', '翼の揚力']) {
    const r = await engine.search({ question, params: { mode: 'mixlm', topN: 5, finalK: 3 } });
    assert.equal(r.dense.status, 'ok', question);
    assert.equal(r.cross.status, 'ok', question);
    assert.ok(r.candidates.length >= 2, question);
    assert.ok(r.candidates.some((c) => c.crossScored), `${question}: the cross-encoder scored`);
    assert.ok(r.candidates.every((c) => c.denseScore !== null), `${question}: dense scores from the stored vectors`);
  }
  const status = await engine.getStatus();
  assert.deepEqual(status.models.map((m) => [m.id, m.quantized]), [[E5, true], [L6, true]]);
});
