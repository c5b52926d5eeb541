// The Hugging Face folder around a synthesised model: config.json with the true BERT fields, the tokenizer files
// copied as they are, and localrag-model.json saying loudly that the weights are random.
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LAYER_NORM_EPS } from './bert-graph.js';
import type { BertShape, PresetName, SynthRole } from './presets.js';
import { SynthError } from './synth-error.js';

export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const;
export const MARKER_FILE = 'localrag-model.json';
/** Which graph layout wrote the ONNX files; a synthesised folder with another value is rebuilt by ensureSynthModels. */
export const GRAPH_FORMAT = 'torch-export-opset14+quantize-dynamic-per-channel';

/** Real models each preset copies the shape of, for the provenance note. */
const SHAPE_OF: Record<PresetName, string> = {
  tiny: 'no real model (a tiny BERT for tests)',
  'e5-small': 'intfloat/multilingual-e5-small',
  'minilm-l6': 'cross-encoder/ms-marco-MiniLM-L-6-v2',
  'minilm-l4': 'cross-encoder/ms-marco-MiniLM-L-4-v2',
  'minilm-l2': 'cross-encoder/ms-marco-MiniLM-L-2-v2',
  'tinybert-l2': 'cross-encoder/ms-marco-TinyBERT-L-2-v2 (as its issue gives it: 2 layers, hidden 312)',
};

export interface TokenizerInfo {
  vocabSize: number;
  padId: number;
}

/** Vocabulary size and [PAD] id from tokenizer.json; fails with what to do when a tokenizer file is missing. */
export function readTokenizer(tokenizerDir: string): TokenizerInfo {
  const missing = TOKENIZER_FILES.filter((f) => !existsSync(join(tokenizerDir, f)));
  if (missing.length) {
    throw new SynthError('synth-tokenizer-missing', `The tokenizer folder ${tokenizerDir} lacks ${missing.join(', ')}.`,
      'Point tokenizerDir at a Hugging Face BERT tokenizer folder (tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt).');
  }
  const tok = JSON.parse(readFileSync(join(tokenizerDir, 'tokenizer.json'), 'utf8')) as {
    model?: { vocab?: Record<string, number> };
    added_tokens?: { id: number }[];
  };
  const vocab = tok.model?.vocab;
  if (!vocab || typeof vocab !== 'object' || Array.isArray(vocab)) {
    throw new SynthError('synth-tokenizer-unsupported', `${tokenizerDir}/tokenizer.json has no WordPiece vocabulary.`,
      'Use a BERT (WordPiece) tokenizer such as bert-base-uncased.');
  }
  const ids = [...Object.values(vocab), ...(tok.added_tokens ?? []).map((t) => t.id)];
  return { vocabSize: Math.max(...ids) + 1, padId: vocab['[PAD]'] ?? 0 };
}

export async function copyTokenizer(tokenizerDir: string, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  return Promise.all(TOKENIZER_FILES.map(async (f) => {
    await copyFile(join(tokenizerDir, f), join(outDir, f));
    return join(outDir, f);
  }));
}

export function configJson(shape: BertShape, role: SynthRole, padId: number): Record<string, unknown> {
  return {
    architectures: [role === 'embedder' ? 'BertModel' : 'BertForSequenceClassification'],
    model_type: 'bert',
    hidden_size: shape.hidden,
    num_hidden_layers: shape.layers,
    num_attention_heads: shape.heads,
    intermediate_size: shape.intermediate,
    max_position_embeddings: shape.maxPositions,
    vocab_size: shape.vocabSize,
    type_vocab_size: shape.typeVocabSize,
    hidden_act: 'gelu',
    layer_norm_eps: LAYER_NORM_EPS,
    initializer_range: shape.initStd,
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    position_embedding_type: 'absolute',
    pad_token_id: padId,
    torch_dtype: 'float32',
    ...(role === 'cross-encoder' ? { num_labels: 1, id2label: { 0: 'LABEL_0' }, label2id: { LABEL_0: 0 } } : {}),
  };
}

export interface Marker {
  synthesised: true;
  warning: string;
  role: SynthRole;
  preset: PresetName;
  seed: number;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  createdBy: string;
  /** The graph layout (GRAPH_FORMAT) the ONNX files were written in. */
  graphFormat: string;
  /** Which real model the shape copies, and how it differs. */
  shapeOf: string;
  note: string;
}

export function markerJson(shape: BertShape, role: SynthRole, preset: PresetName, seed: number): Marker {
  return {
    synthesised: true,
    warning: 'random weights: relevance is meaningless',
    role, preset, seed,
    layers: shape.layers, hidden: shape.hidden, heads: shape.heads, intermediate: shape.intermediate,
    vocabSize: shape.vocabSize,
    createdBy: 'localrag models synth',
    graphFormat: GRAPH_FORMAT,
    shapeOf: SHAPE_OF[preset],
    note: `Random weights (seed ${seed}) in the real BERT graph; the tokenizer is bert-base-uncased, so the vocabulary is ` +
      `${shape.vocabSize}${preset === 'e5-small' ? ' rather than multilingual-e5-small\'s 250037 (XLM-R sentencepiece)' : ''}.`,
  };
}

export async function writeJson(path: string, value: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
  return path;
}
