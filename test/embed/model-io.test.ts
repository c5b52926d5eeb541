// Embedder exports the app meets besides Hugging Face's last_hidden_state: a pooled [batch, hidden] output is used
// as it is; zero-width vectors and a width that contradicts config.json fail naming the file and the outputs.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dot, Embedder } from '../../core/embed/embedder.js';
import { ModelIoError } from '../../core/embed/model-io.js';
import { IR_VERSION, OPSET } from '../../core/models/synth/index.js';
import { GraphBuilder } from '../../core/models/synth/onnx-builder.js';
import { tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';

const settings = { executionProvider: 'cpu' as const, preferQuantized: false, embedBatchSize: 4 };

/** A model folder with the tiny embedder's tokenizer and a graph: mean of word embeddings, then `shape`. */
async function folderWith(opts: { output: string; width: number; sliceTo?: number; hidden?: number; fixedLength?: number; tokenizerFiles?: string[] }): Promise<string> {
  const { embedderDir } = await tinyModels();
  const dir = join(tempDir('io-'), 'model');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const f of opts.tokenizerFiles ?? ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) copyFileSync(join(embedderDir, f), join(dir, f));
  const config = JSON.parse(readFileSync(join(embedderDir, 'config.json'), 'utf8'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: opts.hidden ?? opts.width }));
  const g = new GraphBuilder('io-test');
  const seq = opts.fixedLength ?? 'sequence_length';
  const ids = g.input('input_ids', 'int64', ['batch_size', seq]);
  g.input('attention_mask', 'int64', ['batch_size', seq]);
  const vocab = config.vocab_size as number;
  const table = Float32Array.from({ length: vocab * opts.width }, (_, i) => Math.sin(i * 0.37));
  const emb = g.op('Gather', [g.initializer('emb', table, [vocab, opts.width]), ids]);
  let pooled = g.op('ReduceMean', [emb], { axes: [1], keepdims: 0 });
  if (opts.sliceTo !== undefined) pooled = g.op('Slice', [pooled, g.int64([0]), g.int64([opts.sliceTo]), g.int64([1])]);
  g.op('Identity', [pooled], {}, opts.output);
  g.output(opts.output, 'float', ['batch_size', opts.sliceTo ?? opts.width]);
  writeFileSync(join(dir, 'onnx', 'model.onnx'), g.encode({ irVersion: IR_VERSION, opset: OPSET, producerName: 'io test' }));
  return dir;
}

test('a sentence-transformers export with a pooled sentence_embedding [batch, hidden] output is used as it is', async (t) => {
  const dir = await folderWith({ output: 'sentence_embedding', width: 24 });
  const e = await Embedder.load({ id: 'pooled', modelDir: dir, settings });
  t.after(() => e.close());
  assert.equal(e.dim, 24);
  const [a, b] = await e.embedPassages(['wing lift', 'heat transfer in a boundary layer']);
  assert.equal(a!.length, 24);
  assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-4, 'normalised like the profile says');
  assert.ok(Math.abs(dot(a!, b!)) < 0.9999, 'different texts, different vectors');
  assert.ok(a!.some((x) => x !== 0));
});

test('an output of width 0 is refused, naming the file and the outputs found', async () => {
  const dir = await folderWith({ output: 'sentence_embedding', width: 8, sliceTo: 0, hidden: 8 });
  const err = await Embedder.load({ id: 'zero', modelDir: dir, settings }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ModelIoError, String(err));
  assert.equal(err.appError.code, 'model-wrong-outputs');
  assert.match(err.message, /model\.onnx cannot be used: its output sentence_embedding has width 0 \(outputs found: sentence_embedding float32 \[1, 0\]\)\./);
  assert.ok(err.appError.action);
});

test('a width that differs from config.hidden_size is refused', async () => {
  const dir = await folderWith({ output: 'last_hidden_state_pooled', width: 12, hidden: 384 });
  const err = await Embedder.load({ id: 'mismatch', modelDir: dir, settings }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ModelIoError, String(err));
  assert.equal(err.appError.code, 'model-dimension-mismatch');
  assert.match(err.message, /^model\.onnx gives vectors of width 12 \(output last_hidden_state_pooled\) but config\.json says hidden_size 384/);
  assert.deepEqual([err.appError.params?.dim, err.appError.params?.hidden], [12, 384]);
});

test('a graph exported with a fixed sequence length gets every batch padded to it, longer texts cut keeping [SEP]', async (t) => {
  const dir = await folderWith({ output: 'sentence_embedding', width: 16, fixedLength: 12 });
  const e = await Embedder.load({ id: 'fixed', modelDir: dir, settings });
  t.after(() => e.close());
  const long = 'the boundary layer separates behind the shock wave at high mach numbers';
  const [cut, short] = await e.embedPassages([long, 'wing']);
  const ids = e.tokenizer.encode(long, 512).ids;
  assert.ok(ids.length > 12, 'the text is longer than the graph takes');
  const [manual] = await e.model.embedEncoded([{ ids: [...ids.slice(0, 11), ids.at(-1)!], typeIds: new Array(12).fill(0) }]);
  assert.ok(cut!.every((x, d) => Math.abs(x - manual![d]!) < 1e-6), 'the same as the first 11 tokens and [SEP]');
  assert.ok(short!.every(Number.isFinite));
});

test('a folder with tokenizer.json alone (no tokenizer_config.json) loads with the generic tokenizer', async (t) => {
  const dir = await folderWith({ output: 'sentence_embedding', width: 16, tokenizerFiles: ['tokenizer.json'] });
  const e = await Embedder.load({ id: 'bare-tokenizer', modelDir: dir, settings });
  t.after(() => e.close());
  assert.deepEqual(e.tokenizer.encode('wing lift', 512).ids, [101, 3358, 6336, 102]);
  assert.equal((await e.embedQuery('wing lift')).length, 16);
});
