// The Hugging Face folder layout the embedder and cross-encoder load from, and a check that says what a folder lacks.
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** Without these the model cannot load. */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json'] as const;
/** Tokenizer side files: used when present. */
export const TOKENIZER_EXTRAS = ['tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt'] as const;
export const ONNX_FP32 = 'onnx/model.onnx';
export const ONNX_INT8 = 'onnx/model_quantized.onnx';
/** Written by download/import (and by the synthesiser) to say where the weights came from. */
export const MARKER_FILE = 'localrag-model.json';

export interface FolderCheck {
  /** Files the folder lacks, in the words the user sees ("onnx/model.onnx or onnx/model_quantized.onnx"). */
  missing: string[];
  fp32: boolean;
  int8: boolean;
}

/** What a model folder has and lacks; a folder that does not exist lacks everything. */
export function checkFolder(dir: string): FolderCheck {
  const has = (f: string) => isFile(join(dir, f));
  const fp32 = has(ONNX_FP32);
  const int8 = has(ONNX_INT8);
  const missing: string[] = REQUIRED_FILES.filter((f) => !has(f));
  if (!fp32 && !int8) missing.push(`${ONNX_FP32} or ${ONNX_INT8}`);
  return { missing, fp32, int8 };
}

export function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}

export function isDir(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}
