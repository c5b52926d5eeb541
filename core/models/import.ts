// Importing a model folder the user already has (copied from another machine, exported with optimum): check the
// layout, say exactly what is missing, and install a copy (hard links for the big weight files when possible).
import { constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, link, mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModelRole, ModelStatus } from '../contract/api.js';
import { isDir, isFile, ONNX_FP32, ONNX_INT8, REQUIRED_FILES, TOKENIZER_EXTRAS } from './layout.js';
import { readMarker, writeMarker, type ModelMarker } from './marker.js';
import { ModelError } from './model-error.js';
import { assertValidModelId, modelStatus } from './registry.js';
import { installStaged } from './staging.js';

export interface ImportOptions {
  modelsDir: string;
  folder: string;
  role: ModelRole;
  /** Folder name under modelsDir; defaults to the source folder's name. */
  id?: string;
}

/** Files this size and up are hard-linked rather than copied when source and models folder share a file system. */
const LINK_MIN_BYTES = 8 * 1024 * 1024;

interface CopyPlan {
  /** Source path -> path relative to the model folder. */
  files: Array<{ from: string; to: string }>;
  missing: string[];
}

export async function importModel(opts: ImportOptions): Promise<ModelStatus> {
  if (opts.role === 'llm') {
    throw new ModelError({
      code: 'import-unsupported-role', message: 'LLMs are not imported as model folders.',
      action: 'Choose an Ollama model or a GGUF file in Settings > Answers.',
    });
  }
  const src = resolve(opts.folder);
  if (!isDir(src)) {
    throw new ModelError({
      code: 'import-folder-not-found', message: `There is no folder at ${src}.`,
      action: 'Check the path and choose the folder that holds config.json and tokenizer.json.',
    });
  }
  const id = opts.id ?? basename(src);
  assertValidModelId(id);
  const plan = planCopy(src);
  if (plan.missing.length) {
    throw new ModelError({
      code: 'import-incomplete-folder',
      message: `${src} is not a complete model folder: it lacks ${plan.missing.join(', ')}.`,
      action: 'Choose a Hugging Face model folder with ONNX weights (config.json, tokenizer.json, onnx/model.onnx), ' +
        'e.g. a copy of the repo or the output of `optimum-cli export onnx --model <repo> <folder>`.',
    });
  }
  for (const f of REQUIRED_FILES) assertJson(join(src, f));
  const profile = sentenceTransformersProfile(src, opts.role);

  await installStaged(opts.modelsDir, id, async (staging) => {
    for (const { from, to } of plan.files) await copyInto(from, join(staging, to));
    await writeMarker(staging, importMarker(readMarker(src), src, opts.role, profile));
  });
  return modelStatus(opts.modelsDir, id, opts.role);
}

/** What to copy, accepting weights in onnx/ (Hugging Face layout) or at the top (optimum's export layout). */
function planCopy(src: string): CopyPlan {
  const files: CopyPlan['files'] = [];
  const missing: string[] = [];
  for (const f of REQUIRED_FILES) {
    if (isFile(join(src, f))) files.push({ from: join(src, f), to: f });
    else missing.push(f);
  }
  for (const f of TOKENIZER_EXTRAS) if (isFile(join(src, f))) files.push({ from: join(src, f), to: f });
  let weights = 0;
  for (const rel of [ONNX_FP32, ONNX_INT8]) {
    const from = [join(src, rel), join(src, basename(rel))].find(isFile);
    if (!from) continue;
    weights++;
    files.push({ from, to: rel });
    // Big models keep their weights in external data files next to the graph; the graph names them relatively.
    for (const data of [`${from}_data`, `${from}.data`]) if (isFile(data)) files.push({ from: data, to: `onnx/${basename(data)}` });
  }
  if (weights === 0) {
    // Other names (optimum's model_O4.onnx, model_qint8_avx512_vnni.onnx, ...): one file is taken as it is;
    // several are ambiguous and named, so the user can say which by renaming it.
    const found = ['', 'onnx'].flatMap((d) => onnxFilesIn(join(src, d)).map((f) => (d ? `${d}/${f}` : f)));
    if (found.length === 1) {
      const to = /quant|int8/i.test(found[0]!) ? ONNX_INT8 : ONNX_FP32;
      files.push({ from: join(src, found[0]!), to });
    } else {
      missing.push(`${ONNX_FP32} (or ${ONNX_INT8})` + (found.length ? ` (found ${found.join(', ')}: rename the one to use to ${ONNX_FP32})` : ''));
    }
  }
  return { files, missing };
}

function onnxFilesIn(dir: string): string[] {
  try { return readdirSync(dir).filter((f) => f.endsWith('.onnx') && isFile(join(dir, f))).sort(); } catch { return []; }
}

function assertJson(path: string): void {
  try {
    JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ModelError({
      code: 'import-invalid-file', message: `${path} is not valid JSON (${(err as Error).message}).`,
      action: 'Copy the file again from the model\'s source; it may be truncated.',
    });
  }
}

async function copyInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  if (statSync(from).size >= LINK_MIN_BYTES) {
    try {
      await link(from, to);
      return;
    } catch { /* other file system or no permission: copy instead */ }
  }
  // A copy-on-write clone where the file system offers one, a plain copy elsewhere.
  await copyFile(from, to, constants.COPYFILE_FICLONE);
}

/** A synthesised folder keeps its marker as it is, so it never passes for real weights; others record the source. */
function importMarker(existing: ModelMarker | null, src: string, role: ModelRole, profile: Record<string, unknown> | null): ModelMarker {
  if (existing?.synthesised === true) return existing;
  const merged = profile ? { profile: { ...(existing?.profile as object | undefined), ...profile } } : {};
  return { ...(existing ?? {}), ...merged, source: 'import', folder: src, role, at: new Date().toISOString() };
}

/**
 * A sentence-transformers export says how it pools in 1_Pooling/config.json and how long its inputs are in
 * sentence_bert_config.json; without reading them a CLS-pooled embedder (e.g. the BGE family) was silently
 * mean-pooled. Recorded as the marker's profile, which profileFor applies. Poolings the embedder lacks are refused.
 */
function sentenceTransformersProfile(src: string, role: ModelRole): Record<string, unknown> | null {
  if (role !== 'embedder') return null;
  const profile: Record<string, unknown> = {};
  const poolingPath = join(src, '1_Pooling', 'config.json');
  if (isFile(poolingPath)) {
    assertJson(poolingPath);
    const modes = Object.entries(JSON.parse(readFileSync(poolingPath, 'utf8')) as Record<string, unknown>)
      .filter(([k, v]) => k.startsWith('pooling_mode_') && v === true).map(([k]) => k.slice('pooling_mode_'.length));
    const mode = modes.length === 1 ? { cls_token: 'cls', mean_tokens: 'mean' }[modes[0]!] : undefined;
    if (!mode) {
      throw new ModelError({
        code: 'import-unsupported-pooling',
        message: `${poolingPath} asks for ${modes.join(' + ') || 'no'} pooling; localrag pools by the CLS token or the mean of the tokens only.`,
        action: 'Import an embedder that uses CLS or mean pooling, or one whose ONNX export is already pooled (output sentence_embedding).',
        params: { file: poolingPath, modes: modes.join(' + ') || 'none' },
      });
    }
    profile.pooling = mode;
  }
  const stConfig = join(src, 'sentence_bert_config.json');
  if (isFile(stConfig)) {
    try {
      const max = Number((JSON.parse(readFileSync(stConfig, 'utf8')) as { max_seq_length?: unknown }).max_seq_length);
      if (Number.isInteger(max) && max > 0) profile.maxLength = Math.min(max, 512);
    } catch { /* optional: the config's max_position_embeddings applies */ }
  }
  return Object.keys(profile).length ? profile : null;
}
