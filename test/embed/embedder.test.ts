// The bi-encoder on a real ONNX session (tiny synthesised BERT) with the real bert-base-uncased tokenizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embedder, dot } from '../../core/embed/embedder.js';
import { createOnnxSession, gpuProvidersFor, modelFile } from '../../core/embed/onnx-session.js';
import { loadTokenizer } from '../../core/embed/tokenizer.js';
import { tinyModels } from '../support/models.js';
import { sameBits } from '../support/vectors.js';

const settings = { executionProvider: 'cpu' as const, preferQuantized: false, embedBatchSize: 4 };

test('batched embeddings equal one-at-a-time embeddings (padding is masked), and vectors are unit length', async () => {
  const { embedderDir } = await tinyModels();
  const e = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings });
  const texts = ['a', 'supersonic flow over a flat plate with a very long and detailed description of the boundary layer', 'wing', 'the heat transfer rate at the stagnation point', 'x y z'];
  const batched = await e.embedPassages(texts);
  for (let i = 0; i < texts.length; i++) {
    const [single] = await e.embedPassages([texts[i]!]);
    const diff = Math.max(...single!.map((x, d) => Math.abs(x - batched[i]![d]!)));
    assert.ok(diff < 1e-4, `text ${i}: max diff ${diff}`);
    assert.ok(Math.abs(dot(batched[i]!, batched[i]!) - 1) < 1e-4);
  }
  assert.equal(e.dim, batched[0]!.length);
  await e.close();
});

const varied = Array.from({ length: 13 }, (_, i) => `Passage ${i}: ${'the boundary layer separates behind the shock '.repeat(1 + ((i * 5) % 9))}at Mach ${i + 1}.`);

test('int8: a passage embeds to exactly the same vector alone and inside any batch; shared int8 batches would move it', async () => {
  const { embedderDir } = await tinyModels();
  const int8 = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings: { ...settings, preferQuantized: true } });
  const shared = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings: { ...settings, preferQuantized: true }, passagesPerCall: 32 });
  try {
    assert.equal(int8.quantized, true);
    assert.equal(int8.passagesPerCall, 1);
    const stats = { ms: 0, batches: 0, tokens: 0 };
    const together = await int8.embedPassages(varied, stats);
    assert.equal(stats.batches, varied.length, 'one passage per model call');
    const subset = await int8.embedPassages([varied[7]!, varied[2]!, varied[11]!]);
    [7, 2, 11].forEach((i, j) => assert.ok(sameBits(subset[j]!, together[i]!), `passage ${i} in a group of 3 vs of 13`));
    for (const [i, t] of varied.entries()) {
      const [alone] = await int8.embedPassages([t]);
      assert.ok(sameBits(alone!, together[i]!), `passage ${i}: alone vs with 12 others`);
    }
    // The hazard is real for this model: one call for all (one activation scale) moves some vectors.
    const batched = await shared.embedPassages(varied);
    assert.ok(batched.some((v, i) => !sameBits(v, together[i]!)), 'a shared int8 batch should shift some vector');
  } finally {
    await int8.close();
    await shared.close();
  }
});

test('fp32: padded batches give bit-identical vectors to one at a time (padding is masked exactly)', async () => {
  const { embedderDir } = await tinyModels();
  const fp32 = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings });
  try {
    assert.equal(fp32.quantized, false);
    assert.equal(fp32.passagesPerCall, settings.embedBatchSize);
    const stats = { ms: 0, batches: 0, tokens: 0 };
    const together = await fp32.embedPassages(varied, stats);
    assert.ok(stats.batches < varied.length, `batched (${stats.batches} calls)`);
    for (const [i, t] of varied.entries()) {
      const [alone] = await fp32.embedPassages([t]);
      assert.ok(sameBits(alone!, together[i]!), `passage ${i}: alone vs in a padded batch`);
    }
  } finally {
    await fp32.close();
  }
});

test('a GPU provider that cannot start falls back to the CPU and says why', async () => {
  const { embedderDir } = await tinyModels();
  const lines: string[] = [];
  const s = await createOnnxSession(modelFile(embedderDir, false), 'cuda', (l) => lines.push(l));
  assert.equal(s.provider, 'cpu');
  assert.match(s.fallbackReason ?? '', /cuda provider unavailable: the CUDA add-on is not installed|cuda provider unavailable/);
  assert.equal(lines.length, 1);
  await s.session.release();
  assert.deepEqual(gpuProvidersFor('linux'), ['cuda', 'webgpu']);
  assert.deepEqual(gpuProvidersFor('win32'), ['dml', 'webgpu']);
  assert.deepEqual(gpuProvidersFor('darwin'), ['coreml', 'webgpu']);
});

test('the int8 model is used when preferred and present, and agrees with fp32', async () => {
  const { embedderDir } = await tinyModels();
  assert.match(modelFile(embedderDir, true), /model_quantized\.onnx$/);
  const fp32 = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings });
  const int8 = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings: { ...settings, preferQuantized: true } });
  assert.match(int8.modelPath, /quantized/);
  const [a] = await fp32.embedPassages(['pressure distribution on a cone']);
  const [b] = await int8.embedPassages(['pressure distribution on a cone']);
  assert.ok(dot(a!, b!) > 0.9, `cosine fp32 vs int8 ${dot(a!, b!)}`);
  await fp32.close();
  await int8.close();
});

test('pair encoding keeps the query whole and cuts the passage to the max length', async () => {
  const { embedderDir } = await tinyModels();
  const tok = await loadTokenizer(embedderDir);
  const query = 'what is the lift of a delta wing';
  const long = 'word '.repeat(600);
  const enc = tok.encodePair(query, long, 64);
  assert.equal(enc.ids.length, 64);
  const queryIds = tok.encode(query, 512).ids;
  assert.deepEqual(enc.ids.slice(0, queryIds.length), queryIds, 'query tokens intact, with [CLS] and [SEP]');
  assert.equal(enc.ids.at(-1), queryIds.at(-1), 'ends with the separator');
  assert.equal(enc.typeIds.at(-1), 1);
  assert.equal(tok.encode(long, 32).ids.length, 32);
});
