// The real repos' file trees as the Hugging Face Hub serves them (names, commits, which files are LFS), filled with
// small synthesised weights: an e5 stand-in with an XLM-R Unigram tokenizer of 250k pieces and a BertModel config
// (type_vocab_size 2), and an ms-marco MiniLM stand-in with the real BERT WordPiece tokenizer. Each int8 variant is
// a distinct file (same weights, its own doc string), so a test can tell which one was installed. Built once into
// .cache/test-models/ and reused.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBertWeights } from '../../core/models/synth/bert-weights.js';
import { buildBertGraph, fp32Weights, type WeightEmitter } from '../../core/models/synth/bert-graph.js';
import { IR_VERSION, OPSET, DEFAULT_TOKENIZER_DIR } from '../../core/models/synth/index.js';
import { configJson, TOKENIZER_FILES } from '../../core/models/synth/model-folder.js';
import { GraphBuilder } from '../../core/models/synth/onnx-builder.js';
import type { BertShape, SynthRole } from '../../core/models/synth/presets.js';
import { int8Weights } from '../../core/models/synth/quantize.js';
import { HUB_SOURCES } from '../../core/models/hub-sources.js';
import { testModelsDir } from '../support/models.js';
import { xlmrSpecialTokensMap, xlmrTokenizerConfig, xlmrTokenizerJson } from './xlmr-tokenizer.js';

/** A repo as the fake hub serves it: its commit and repo path -> file on disk. */
export interface FixtureRepo {
  commit: string;
  files: Record<string, string>;
}

export interface HubFixture {
  repos: Record<string, FixtureRepo>;
  /** Old repo name -> new one: the hub answers the old name with a relative 307. */
  renamed: Record<string, string>;
}

const VERSION = 'hub-fixture-v2';
const E5 = HUB_SOURCES['multilingual-e5-small']!;
const L6 = HUB_SOURCES['ms-marco-MiniLM-L-6-v2']!;

/** intfloat/multilingual-e5-small's encoder at a test size; vocabulary and type vocabulary as the real config. */
const E5_SHAPE: BertShape = { layers: 2, hidden: 16, heads: 2, intermediate: 32, vocabSize: 250_037, maxPositions: 512, typeVocabSize: 2, initStd: 0.1 };
const L6_SHAPE: BertShape = { layers: 2, hidden: 32, heads: 2, intermediate: 64, vocabSize: 30_522, maxPositions: 512, typeVocabSize: 2, initStd: 0.1 };

/** Files of the real repos that the app never needs: served as small placeholders, and must never be fetched. */
const E5_UNUSED = ['.gitattributes', '1_Pooling/config.json', 'README.md', 'model.safetensors', 'modules.json', 'onnx/model_O4.onnx',
  'pytorch_model.bin', 'sentence_bert_config.json', 'sentencepiece.bpe.model'];
const XENOVA_E5_UNUSED = ['.gitattributes', 'README.md', 'quantize_config.json', 'onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_bnb4.onnx',
  'onnx/model_int8.onnx', 'onnx/model_q4.onnx', 'onnx/model_uint8.onnx'];
const L6_UNUSED = ['.gitattributes', 'README.md', 'model.safetensors', 'pytorch_model.bin', 'onnx/model_O1.onnx', 'onnx/model_O2.onnx',
  'onnx/model_O3.onnx', 'onnx/model_O4.onnx', 'openvino/openvino_model.bin', 'openvino/openvino_model.xml', 'openvino/openvino_model_qint8_quantized.bin',
  'openvino/openvino_model_qint8_quantized.xml'];
const XENOVA_L6_UNUSED = ['.gitattributes', 'README.md', 'quantize_config.json', 'onnx/model.onnx', 'onnx/model_fp16.onnx'];

/** The int8 files of the cross-encoder repo (optimum's presets), each a distinct file. */
export const L6_INT8 = ['onnx/model_qint8_avx512_vnni.onnx', 'onnx/model_qint8_avx512.onnx', 'onnx/model_quint8_avx2.onnx', 'onnx/model_qint8_arm64.onnx'];

export function fixtureDir(): string {
  return join(testModelsDir, VERSION);
}

export async function hubFixture(): Promise<HubFixture> {
  const dir = fixtureDir();
  if (!existsSync(join(dir, 'done'))) build(dir);
  const at = (...p: string[]) => join(dir, ...p);
  const placeholders = (names: string[], sub: string) => Object.fromEntries(names.map((n) => [n, at(sub, 'unused', n.replaceAll('/', '__'))]));
  const e5Tokenizer = { 'config.json': at('e5', 'config.json'), 'tokenizer.json': at('e5', 'tokenizer.json'), 'tokenizer_config.json': at('e5', 'tokenizer_config.json'), 'special_tokens_map.json': at('e5', 'special_tokens_map.json') };
  const l6Tokenizer = Object.fromEntries([...TOKENIZER_FILES, 'config.json'].map((f) => [f, at('l6', f)]));
  return {
    repos: {
      [E5.main.repo]: { commit: E5.main.revision!, files: { ...placeholders(E5_UNUSED, 'e5'), ...e5Tokenizer, 'onnx/model.onnx': at('e5', 'model.onnx'), 'onnx/model_qint8_avx512_vnni.onnx': at('e5', 'model_qint8_avx512_vnni.onnx') } },
      [E5.alt!.repo]: { commit: E5.alt!.revision!, files: { ...placeholders(XENOVA_E5_UNUSED, 'e5x'), ...e5Tokenizer, 'onnx/model_quantized.onnx': at('e5', 'xenova_model_quantized.onnx') } },
      [L6.main.repo]: {
        commit: L6.main.revision!,
        files: { ...placeholders(L6_UNUSED, 'l6'), ...l6Tokenizer, 'onnx/model.onnx': at('l6', 'model.onnx'), ...Object.fromEntries(L6_INT8.map((p) => [p, at('l6', p.slice(5))])) },
      },
      [L6.alt!.repo]: { commit: L6.alt!.revision!, files: { ...placeholders(XENOVA_L6_UNUSED, 'l6x'), ...l6Tokenizer, 'onnx/model_quantized.onnx': at('l6', 'xenova_model_quantized.onnx') } },
    },
    renamed: { [L6.formerly![0]!]: L6.main.repo },
  };
}

function build(dir: string): void {
  const tmp = `${dir}.building-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const e5 = join(tmp, 'e5');
  const l6 = join(tmp, 'l6');
  for (const d of [e5, l6, join(e5, 'unused'), join(tmp, 'e5x', 'unused'), join(l6, 'unused'), join(tmp, 'l6x', 'unused')]) mkdirSync(d, { recursive: true });
  for (const [sub, names] of [['e5', E5_UNUSED], ['e5x', XENOVA_E5_UNUSED], ['l6', L6_UNUSED], ['l6x', XENOVA_L6_UNUSED]] as const) {
    for (const n of names) writeFileSync(join(tmp, sub, 'unused', n.replaceAll('/', '__')), `placeholder for ${n}: never fetched by localrag\n`);
  }
  writeFileSync(join(e5, 'tokenizer.json'), xlmrTokenizerJson());
  writeFileSync(join(e5, 'tokenizer_config.json'), xlmrTokenizerConfig());
  writeFileSync(join(e5, 'special_tokens_map.json'), xlmrSpecialTokensMap());
  writeFileSync(join(e5, 'config.json'), JSON.stringify({ ...configJson(E5_SHAPE, 'embedder', 0), tokenizer_class: 'XLMRobertaTokenizer' }, null, 2));
  writeModels(e5, E5_SHAPE, 'embedder', ['model_qint8_avx512_vnni.onnx', 'xenova_model_quantized.onnx']);

  for (const f of TOKENIZER_FILES) copyFileSync(join(DEFAULT_TOKENIZER_DIR, f), join(l6, f));
  writeFileSync(join(l6, 'config.json'), JSON.stringify(configJson(L6_SHAPE, 'cross-encoder', 0), null, 2));
  writeModels(l6, L6_SHAPE, 'cross-encoder', [...L6_INT8.map((p) => p.slice(5)), 'xenova_model_quantized.onnx']);

  writeFileSync(join(tmp, 'done'), new Date().toISOString());
  try {
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'done'))) throw err; // another test process finished first otherwise
  }
}

function writeModels(dir: string, shape: BertShape, role: SynthRole, int8Names: string[]): void {
  const weights = randomBertWeights(shape, role, 11);
  const write = (name: string, linear: WeightEmitter, doc: string) => {
    const g = new GraphBuilder(`fixture-${role}`);
    buildBertGraph(g, weights, role, linear);
    writeFileSync(join(dir, name), g.encode({ irVersion: IR_VERSION, opset: OPSET, producerName: 'localrag test fixture', docString: doc }));
  };
  write('model.onnx', fp32Weights, `${role} fp32`);
  for (const n of int8Names) write(n, int8Weights(), `${role} int8 as ${n}`);
}
