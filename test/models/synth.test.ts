// Synthesised BERT models: real ONNX Runtime sessions on the tiny preset, real bert-base-uncased tokenizer output.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { DEFAULT_TOKENIZER_DIR, ensureSynthModels, SynthError, synthesiseModel } from '../../core/models/synth/index.js';
import { GRAPH_FORMAT } from '../../core/models/synth/model-folder.js';
import { randomBertWeights } from '../../core/models/synth/bert-weights.js';
import { bertShape, type SynthRole } from '../../core/models/synth/presets.js';
import { referenceHidden, referenceLogit } from './bert-reference.js';
import { sharedDir, tempDir } from '../support/temp.js';

const SEED = 7;
const TEXTS = ['what is lift?', 'Boundary layer transition on a flat plate at supersonic speeds.', 'wing'];
const PAIRS: [string, string][] = [
  ['what is lift?', 'Lift is the force that holds an aircraft in the air.'],
  ['heat transfer', 'no'],
  ['shock waves in supersonic flow over a cone', 'Conical shocks form ahead of a cone at supersonic speeds, their angle set by the Mach number.'],
];

interface Encoded { ids: number[]; typeIds: number[] }

/** One batch padded to its longest item, as the app's embedder and cross-encoder feed it. */
function feeds(items: Encoded[]): Record<string, ort.Tensor> {
  const rows = items.length;
  const cols = Math.max(...items.map((e) => e.ids.length));
  const ids = new BigInt64Array(rows * cols), mask = new BigInt64Array(rows * cols), types = new BigInt64Array(rows * cols);
  items.forEach((e, r) => e.ids.forEach((id, c) => {
    ids[r * cols + c] = BigInt(id);
    mask[r * cols + c] = 1n;
    types[r * cols + c] = BigInt(e.typeIds[c]!);
  }));
  return {
    input_ids: new ort.Tensor('int64', ids, [rows, cols]),
    attention_mask: new ort.Tensor('int64', mask, [rows, cols]),
    token_type_ids: new ort.Tensor('int64', types, [rows, cols]),
  };
}

async function run(session: ort.InferenceSession, items: Encoded[]): Promise<ort.Tensor> {
  const out = await session.run(feeds(items));
  return out[session.outputNames[0]!]!;
}

/** Hidden state of item `row`'s real (unpadded) tokens, as rows of `hidden` numbers. */
function rowsOf(t: ort.Tensor, row: number, length: number): number[][] {
  const [, cols, hidden] = t.dims as number[];
  const data = t.data as Float32Array;
  return Array.from({ length }, (_, i) => Array.from(data.subarray((row * cols! + i) * hidden!, (row * cols! + i + 1) * hidden!)));
}

function meanPool(rows: number[][]): number[] {
  return rows[0]!.map((_, c) => rows.reduce((s, r) => s + r[c]!, 0) / rows.length);
}

function cosine(a: number[], b: number[]): number {
  let ab = 0, aa = 0, bb = 0;
  a.forEach((x, i) => { ab += x * b[i]!; aa += x * x; bb += b[i]! * b[i]!; });
  return ab / Math.sqrt(aa * bb);
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((x, j) => Math.abs(x - b[i]![j]!))));
}

async function loadTokenizer(modelDir: string): Promise<PreTrainedTokenizer> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(modelDir) + '/';
  return AutoTokenizer.from_pretrained(basename(modelDir), { local_files_only: true });
}

function opTypes(modelPath: string): { ops: string[]; constMatMuls: number } {
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(modelPath));
  const nodes = model.graph!.node!;
  const weights = new Set(model.graph!.initializer!.map((t) => t.name));
  return {
    ops: nodes.map((n) => n.opType!),
    constMatMuls: nodes.filter((n) => n.opType === 'MatMul' && n.input!.some((i) => weights.has(i))).length,
  };
}

describe('synthesised tiny BERT models', () => {
  const root = tempDir('localrag-synth-');
  const dirs = {} as Record<SynthRole, string>;
  const sessions = {} as Record<SynthRole, { fp32: ort.InferenceSession; int8: ort.InferenceSession }>;
  let single: Encoded[] = [];
  let pairs: Encoded[] = [];

  before(async () => {
    for (const role of ['embedder', 'cross-encoder'] as const) {
      dirs[role] = (await synthesiseModel({ role, preset: 'tiny', seed: SEED, outDir: join(root, `tiny-${role}`) })).dir;
      sessions[role] = {
        fp32: await ort.InferenceSession.create(join(dirs[role], 'onnx', 'model.onnx')),
        int8: await ort.InferenceSession.create(join(dirs[role], 'onnx', 'model_quantized.onnx')),
      };
    }
    const tok = await loadTokenizer(dirs.embedder);
    single = TEXTS.map((text) => { const ids = tok.encode(text); return { ids, typeIds: ids.map(() => 0) }; });
    const pairTok = await loadTokenizer(dirs['cross-encoder']);
    pairs = PAIRS.map(([q, p]) => {
      const enc = pairTok(q, { text_pair: p, return_tensor: false }) as unknown as { input_ids: number[]; token_type_ids: number[] };
      return { ids: enc.input_ids, typeIds: enc.token_type_ids };
    });
  });

  test('writes a Hugging Face folder with the true config, the tokenizer files and the random-weights marker', () => {
    const tokDir = join(sharedDir, 'models', 'tokenizers', 'bert-base-uncased');
    assert.equal(DEFAULT_TOKENIZER_DIR, tokDir);
    for (const role of ['embedder', 'cross-encoder'] as const) {
      const dir = dirs[role];
      for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
        assert.deepEqual(readFileSync(join(dir, f)), readFileSync(join(tokDir, f)), f);
      }
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      assert.equal(config.model_type, 'bert');
      assert.deepEqual([config.hidden_size, config.num_hidden_layers, config.num_attention_heads, config.intermediate_size], [32, 2, 2, 64]);
      assert.deepEqual([config.max_position_embeddings, config.vocab_size, config.type_vocab_size], [512, 30522, 2]);
      if (role === 'cross-encoder') {
        assert.deepEqual(config.architectures, ['BertForSequenceClassification']);
        assert.equal(config.num_labels, 1);
      } else {
        assert.deepEqual(config.architectures, ['BertModel']);
      }
      const marker = JSON.parse(readFileSync(join(dir, 'localrag-model.json'), 'utf8'));
      assert.equal(marker.synthesised, true);
      assert.equal(marker.warning, 'random weights: relevance is meaningless');
      assert.deepEqual([marker.role, marker.preset, marker.seed, marker.vocabSize, marker.createdBy], [role, 'tiny', SEED, 30522, 'localrag models synth']);
      assert.deepEqual([marker.layers, marker.hidden, marker.heads, marker.intermediate], [2, 32, 2, 64]);
    }
  });

  test('fp32 and int8 graphs have the Hugging Face BERT interface', async () => {
    const want: Record<SynthRole, [string, (string | number)[]]> = {
      embedder: ['last_hidden_state', ['batch_size', 'sequence_length', 32]],
      'cross-encoder': ['logits', ['batch_size', 1]],
    };
    for (const role of ['embedder', 'cross-encoder'] as const) {
      for (const session of [sessions[role].fp32, sessions[role].int8]) {
        assert.deepEqual(session.inputNames, ['input_ids', 'attention_mask', 'token_type_ids']);
        for (const input of session.inputMetadata) {
          assert.ok(input.isTensor);
          assert.equal(input.type, 'int64');
          assert.deepEqual(input.shape, ['batch_size', 'sequence_length']);
        }
        assert.deepEqual(session.outputNames, [want[role][0]]);
        const output = session.outputMetadata[0]!;
        assert.ok(output.isTensor);
        assert.equal(output.type, 'float32');
        assert.deepEqual(output.shape, want[role][1]);
      }
    }
    const hidden = await run(sessions.embedder.fp32, single);
    assert.deepEqual(hidden.dims, [3, Math.max(...single.map((e) => e.ids.length)), 32]);
    assert.deepEqual((await run(sessions['cross-encoder'].fp32, pairs)).dims, [3, 1]);
  });

  test('the graph computes BERT: it matches a plain-JS forward pass over the same weights', async () => {
    for (const role of ['embedder', 'cross-encoder'] as const) {
      const weights = randomBertWeights(bertShape('tiny', 30522), role, SEED);
      const items = role === 'embedder' ? single : pairs;
      for (const item of items) {
        const out = await run(sessions[role].fp32, [item]);
        if (role === 'embedder') {
          assert.ok(maxAbsDiff(rowsOf(out, 0, item.ids.length), referenceHidden(weights, item.ids, item.typeIds)) < 1e-4);
        } else {
          const logit = (out.data as Float32Array)[0]!;
          assert.ok(Math.abs(logit - referenceLogit(weights, item.ids, item.typeIds)) < 1e-4, `logit ${logit}`);
        }
      }
    }
  });

  // fp32 only: int8's DynamicQuantizeLinear takes one activation scale over the whole batch, pads included, so
  // (as with onnxruntime's own quantize_dynamic models) batch mates shift an item's int8 result slightly.
  test('padding is masked: a padded fp32 batch gives each item what it gets alone (1e-4)', async () => {
    assert.ok(new Set(single.map((e) => e.ids.length)).size === 3 && new Set(pairs.map((e) => e.ids.length)).size === 3, 'items differ in length');
    const batched = await run(sessions.embedder.fp32, single);
    for (const [i, item] of single.entries()) {
      const alone = await run(sessions.embedder.fp32, [item]);
      const diff = maxAbsDiff(rowsOf(batched, i, item.ids.length), rowsOf(alone, 0, item.ids.length));
      assert.ok(diff < 1e-4, `embedder item ${i}: ${diff}`);
    }
    const logits = (await run(sessions['cross-encoder'].fp32, pairs)).data as Float32Array;
    for (const [i, item] of pairs.entries()) {
      const alone = ((await run(sessions['cross-encoder'].fp32, [item])).data as Float32Array)[0]!;
      assert.ok(Math.abs(logits[i]! - alone) < 1e-4, `cross-encoder item ${i}: ${logits[i]} vs ${alone}`);
    }
  });

  test('the int8 variant is dynamic quantisation and stays close to fp32', async () => {
    for (const role of ['embedder', 'cross-encoder'] as const) {
      // As quantize_dynamic writes a PyTorch export: the 6 dense layers per encoder layer become MatMulInteger, the
      // 4 activations they read get one DynamicQuantizeLinear each (query, key and value share one), the 3
      // embedding tables become int8 + DequantizeLinear, and the head's Gemms stay fp32.
      const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;
      const fp32 = opTypes(join(dirs[role], 'onnx', 'model.onnx'));
      const int8 = opTypes(join(dirs[role], 'onnx', 'model_quantized.onnx'));
      assert.equal(fp32.constMatMuls, 2 * 6);
      assert.equal(int8.constMatMuls, 0, 'no fp32 MatMul on a weight is left');
      assert.equal(count(int8.ops, 'MatMulInteger'), 2 * 6);
      assert.equal(count(int8.ops, 'DynamicQuantizeLinear'), 2 * 4);
      assert.equal(count(int8.ops, 'DequantizeLinear'), 3);
      assert.equal(count(fp32.ops, 'LayerNormalization'), 0, 'opset 14: LayerNorm decomposed');
      assert.equal(count(fp32.ops, 'ReduceMean'), 2 * (1 + 2 * 2));
      for (const ops of [fp32.ops, int8.ops]) assert.equal(count(ops, 'Gemm'), role === 'cross-encoder' ? 2 : 0);
    }
    const a = await run(sessions.embedder.fp32, single), b = await run(sessions.embedder.int8, single);
    for (const [i, item] of single.entries()) {
      const c = cosine(meanPool(rowsOf(a, i, item.ids.length)), meanPool(rowsOf(b, i, item.ids.length)));
      assert.ok(c > 0.99, `embedder cosine ${c}`);
    }
    const la = (await run(sessions['cross-encoder'].fp32, pairs)).data as Float32Array;
    const lb = (await run(sessions['cross-encoder'].int8, pairs)).data as Float32Array;
    const spread = Math.max(...la) - Math.min(...la);
    la.forEach((x, i) => assert.ok(Math.abs(x - lb[i]!) < 0.02, `logit ${x} vs int8 ${lb[i]}`));
    assert.ok(spread > 1e-3, `logits vary between pairs (${spread})`);
  });
});

test('the same seed gives byte-identical model files; another seed does not', async (t) => {
  const root = tempDir();
  const make = (seed: number, name: string) => synthesiseModel({ role: 'cross-encoder', preset: 'tiny', seed, outDir: join(root, name) });
  const [a, b, c] = [await make(11, 'a'), await make(11, 'b'), await make(12, 'c')];
  for (const f of ['model.onnx', 'model_quantized.onnx']) {
    assert.ok(readFileSync(join(a.dir, 'onnx', f)).equals(readFileSync(join(b.dir, 'onnx', f))), f);
  }
  assert.ok(!readFileSync(join(a.dir, 'onnx', 'model.onnx')).equals(readFileSync(join(c.dir, 'onnx', 'model.onnx'))));
  assert.deepEqual(a.files.map((f) => basename(f)).sort(), ['config.json', 'localrag-model.json', 'model.onnx', 'model_quantized.onnx',
    'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
  const fp32Only = await synthesiseModel({ role: 'embedder', preset: 'tiny', outDir: join(root, 'd'), quantized: false });
  assert.ok(!existsSync(join(fp32Only.dir, 'onnx', 'model_quantized.onnx')));
});

test('ensureSynthModels creates the tiny pair once, concurrently safe, and leaves existing folders alone', async (t) => {
  const modelsDir = tempDir();
  const [first, second] = await Promise.all([ensureSynthModels({ modelsDir, preset: 'tiny' }), ensureSynthModels({ modelsDir, preset: 'tiny' })]);
  assert.deepEqual(first, { embedderDir: join(modelsDir, 'tiny-embedder'), crossEncoderDir: join(modelsDir, 'tiny-cross-encoder') });
  assert.deepEqual(second, first);
  assert.deepEqual(readdirSync(modelsDir).sort(), ['tiny-cross-encoder', 'tiny-embedder'], 'no staging folders left');
  const model = join(first.embedderDir, 'onnx', 'model.onnx');
  const before = statSync(model).mtimeMs;
  writeFileSync(join(first.embedderDir, 'keep-me'), 'x');
  await ensureSynthModels({ modelsDir, preset: 'tiny' });
  assert.equal(statSync(model).mtimeMs, before);
  assert.ok(existsSync(join(first.embedderDir, 'keep-me')));
  const session = await ort.InferenceSession.create(join(first.crossEncoderDir, 'onnx', 'model_quantized.onnx'));
  assert.deepEqual(session.outputNames, ['logits']);
});

test('a missing tokenizer is a SynthError that says what to do', async (t) => {
  const empty = tempDir();
  await assert.rejects(synthesiseModel({ role: 'embedder', preset: 'tiny', outDir: join(empty, 'm'), tokenizerDir: empty }), (err: unknown) => {
    assert.ok(err instanceof SynthError);
    assert.equal(err.code, 'synth-tokenizer-missing');
    assert.match(err.action, /tokenizer/);
    return true;
  });
  assert.ok(!existsSync(join(empty, 'm')), 'nothing written');
});

test('ensureSynthModels rebuilds a synthesised folder of an older graph format, never a real model folder', async () => {
  const modelsDir = tempDir();
  const { embedderDir, crossEncoderDir } = await ensureSynthModels({ modelsDir, preset: 'tiny' });
  const markerPath = join(embedderDir, 'localrag-model.json');
  const marker = JSON.parse(readFileSync(markerPath, 'utf8'));
  assert.equal(marker.graphFormat, GRAPH_FORMAT);
  writeFileSync(markerPath, JSON.stringify({ ...marker, graphFormat: 'hand-built-opset17' }));
  // A real model's folder: no synthesised marker, so it is never touched whatever it holds.
  const realMarker = join(crossEncoderDir, 'localrag-model.json');
  writeFileSync(realMarker, JSON.stringify({ source: 'hub' }));
  await ensureSynthModels({ modelsDir, preset: 'tiny' });
  assert.equal(JSON.parse(readFileSync(markerPath, 'utf8')).graphFormat, GRAPH_FORMAT, 'rebuilt in the current format');
  assert.deepEqual(JSON.parse(readFileSync(realMarker, 'utf8')), { source: 'hub' });
});
