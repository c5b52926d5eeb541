// What a model's ONNX outputs must look like, checked on a probe run: an embedder gives per-token states
// [batch, seq, hidden] (pooled here) or an already pooled [batch, hidden] (sentence-transformers' exports name it
// sentence_embedding), with hidden equal to config.hidden_size; a cross-encoder gives one or more logits per pair.
// Anything else fails loudly, naming the file and the outputs found, instead of loading with zero-width vectors.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type ort from 'onnxruntime-node';
import { AppErrorException } from '../contract/app-error.js';

export class ModelIoError extends AppErrorException {}

/** Token-level outputs in the order we prefer them, then pooled ones. */
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];
const POOLED_OUTPUTS = ['sentence_embedding', 'embeddings', 'text_embeds'];

export interface EmbeddingOutput {
  name: string;
  /** 'tokens': [b, s, h], to pool; 'pooled': [b, h], used as it is. */
  kind: 'tokens' | 'pooled';
  tensor: ort.Tensor;
}

/** The output to read embeddings from; throws naming what was found when none fits. */
export function pickEmbeddingOutput(result: ort.InferenceSession.OnnxValueMapType, outputNames: readonly string[], modelPath: string): EmbeddingOutput {
  const ranked = [...TOKEN_OUTPUTS, ...POOLED_OUTPUTS, ...outputNames].filter((n, i, a) => a.indexOf(n) === i && result[n]);
  for (const name of ranked) {
    const t = result[name]!;
    if (t.type !== 'float32') continue;
    if (t.dims.length === 3) return { name, kind: 'tokens', tensor: t };
    if (t.dims.length === 2 && !/logits|pooler/i.test(name)) return { name, kind: 'pooled', tensor: t };
  }
  throw badOutputs(modelPath, result, 'no float output shaped [batch, tokens, hidden] or [batch, hidden]');
}

/** The embedding width a probe produced must be positive and match config.json's hidden_size when it has one. */
export function checkEmbeddingWidth(dim: number, modelPath: string, result: ort.InferenceSession.OnnxValueMapType, output: string): void {
  if (!(dim > 0)) throw badOutputs(modelPath, result, `its output ${output} has width 0`);
  const hidden = configHiddenSize(modelPath);
  if (hidden !== null && hidden !== dim) {
    throw new ModelIoError({
      code: 'model-dimension-mismatch',
      message: `${basename(modelPath)} gives vectors of width ${dim} (output ${output}) but config.json says hidden_size ${hidden}: the weights and config come from different models.`,
      action: 'Re-download the model (Library > Models > Download) or import a folder whose ONNX file and config.json belong together.',
      params: { file: modelPath, dim, hidden, output },
    });
  }
}

/** A cross-encoder's logits must be [batch] or [batch, classes] with one value per pair at least. */
export function checkLogits(t: ort.Tensor | undefined, rows: number, modelPath: string, result: ort.InferenceSession.OnnxValueMapType): void {
  const width = t && t.dims.length > 1 ? t.dims[t.dims.length - 1]! : 1;
  if (!t || t.type !== 'float32' || t.dims[0] !== rows || width < 1 || t.dims.length > 2) {
    throw badOutputs(modelPath, result, 'no float output shaped [batch] or [batch, classes] (logits)');
  }
  const data = t.data as Float32Array;
  if (!data.every(Number.isFinite)) throw badOutputs(modelPath, result, 'its logits are not finite numbers');
}

function badOutputs(modelPath: string, result: ort.InferenceSession.OnnxValueMapType, what: string): ModelIoError {
  const found = Object.entries(result).map(([n, t]) => `${n} ${t.type} [${t.dims.join(', ')}]`).join(', ') || 'none';
  return new ModelIoError({
    code: 'model-wrong-outputs',
    message: `${modelPath} cannot be used: ${what} (outputs found: ${found}).`,
    action: 'Use an ONNX export of the model for this role (optimum-cli export onnx --task feature-extraction for an embedder, text-classification for a cross-encoder), then import it again (Library > Models > Import).',
    params: { file: modelPath, outputs: found, problem: what },
  });
}

function configHiddenSize(modelPath: string): number | null {
  try {
    const c = JSON.parse(readFileSync(join(dirname(dirname(modelPath)), 'config.json'), 'utf8')) as { hidden_size?: unknown; dim?: unknown };
    const h = Number(c.hidden_size ?? c.dim);
    return Number.isFinite(h) && h > 0 ? h : null;
  } catch {
    return null;
  }
}
