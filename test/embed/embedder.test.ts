// The bi-encoder on a real ONNX session (tiny synthesised BERT) with the real bert-base-uncased tokenizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embedder, dot } from '../../core/embed/embedder.js';
import { createOnnxSession, gpuProvidersFor, modelFile } from '../../core/embed/onnx-session.js';
import { loadTokenizer } from '../../core/embed/tokenizer.js';
import { tinyModels } from '../support/models.js';

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
