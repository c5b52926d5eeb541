// Synthesised BERT models in Hugging Face folder layout: the real architecture, graph interface and tokenizer,
// with seeded random weights. They let tests and benchmarks run real ONNX sessions where no trained model can
// be downloaded; their relevance scores mean nothing.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { randomBertWeights } from './bert-weights.js';
import { buildBertGraph, fp32Weights, type WeightEmitter } from './bert-graph.js';
import { GraphBuilder } from './onnx-builder.js';
import { int8Weights } from './quantize.js';
import { bertShape, isPresetName, PRESETS, type PresetName, type SynthRole } from './presets.js';
import { configJson, copyTokenizer, GRAPH_FORMAT, MARKER_FILE, markerJson, readTokenizer, writeJson } from './model-folder.js';
import { SynthError } from './synth-error.js';

export { PRESETS, type PresetName, type SynthRole } from './presets.js';
export { SynthError } from './synth-error.js';

/** Opset 14, Optimum's default for BERT exports (so LayerNorm is decomposed, as in the hub's files); IR version 7. */
export const IR_VERSION = 7;
export const OPSET = 14;
export const DEFAULT_SEED = 42;

export const DEFAULT_TOKENIZER_DIR = join(projectRoot(), '..', 'shared', 'models', 'tokenizers', 'bert-base-uncased');

export interface SynthOptions {
  role: SynthRole;
  preset: PresetName;
  seed?: number;
  outDir: string;
  tokenizerDir?: string;
  /** Also write onnx/model_quantized.onnx (int8); default true. */
  quantized?: boolean;
}

/** Writes one model folder; returns its absolute path and the absolute paths of the files written. */
export async function synthesiseModel(opts: SynthOptions): Promise<{ dir: string; files: string[] }> {
  if (!isPresetName(opts.preset)) {
    throw new SynthError('synth-invalid-preset', `There is no model preset named "${opts.preset}".`, `Use one of: ${Object.keys(PRESETS).join(', ')}.`);
  }
  if (opts.role !== 'embedder' && opts.role !== 'cross-encoder') {
    throw new SynthError('synth-invalid-role', `A synthesised model cannot have the role "${opts.role}".`, 'Use embedder or cross-encoder.');
  }
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const dir = resolve(opts.outDir);
  const tokenizerDir = resolve(opts.tokenizerDir ?? DEFAULT_TOKENIZER_DIR);
  const tokenizer = readTokenizer(tokenizerDir);
  const shape = bertShape(opts.preset, tokenizer.vocabSize);
  const weights = randomBertWeights(shape, opts.role, seed);

  await mkdir(join(dir, 'onnx'), { recursive: true });
  const files = await copyTokenizer(tokenizerDir, dir);
  files.push(await writeJson(join(dir, 'config.json'), configJson(shape, opts.role, tokenizer.padId)));
  files.push(await writeJson(join(dir, MARKER_FILE), markerJson(shape, opts.role, opts.preset, seed)));

  const variants: [string, () => WeightEmitter][] = [['model.onnx', () => fp32Weights]];
  if (opts.quantized ?? true) variants.push(['model_quantized.onnx', int8Weights]);
  for (const [file, emitter] of variants) {
    const g = new GraphBuilder(`synth-bert-${opts.role}`);
    buildBertGraph(g, weights, opts.role, emitter());
    const bytes = g.encode({
      irVersion: IR_VERSION, opset: OPSET, producerName: 'localrag models synth',
      docString: `synthesised ${opts.preset} BERT ${opts.role}, seed ${seed}: random weights, relevance is meaningless`,
    });
    const path = join(dir, 'onnx', file);
    await writeFile(path, bytes);
    files.push(path);
  }
  return { dir, files };
}

export interface EnsureOptions {
  modelsDir: string;
  /** tiny: tiny-embedder + tiny-cross-encoder; bench: the real models' shapes under the real models' ids. */
  preset: 'tiny' | 'bench';
  tokenizerDir?: string;
}

const ENSURE_SETS: Record<EnsureOptions['preset'], { embedder: [string, PresetName]; crossEncoder: [string, PresetName] }> = {
  tiny: { embedder: ['tiny-embedder', 'tiny'], crossEncoder: ['tiny-cross-encoder', 'tiny'] },
  bench: { embedder: ['multilingual-e5-small', 'e5-small'], crossEncoder: ['ms-marco-MiniLM-L-6-v2', 'minilm-l6'] },
};

/**
 * Makes sure `<modelsDir>/<name>` exists for both roles, synthesising only the folders that are absent or were
 * synthesised with an older graph format; any other folder (a real downloaded model) is left untouched.
 */
export async function ensureSynthModels(opts: EnsureOptions): Promise<{ embedderDir: string; crossEncoderDir: string }> {
  const set = ENSURE_SETS[opts.preset];
  if (!set) throw new SynthError('synth-invalid-preset', `There is no model set named "${opts.preset}".`, 'Use tiny or bench.');
  const modelsDir = resolve(opts.modelsDir);
  const embedderDir = await ensureOne(modelsDir, set.embedder, 'embedder', opts.tokenizerDir);
  const crossEncoderDir = await ensureOne(modelsDir, set.crossEncoder, 'cross-encoder', opts.tokenizerDir);
  return { embedderDir, crossEncoderDir };
}

/** One folder `<modelsDir>/<name>` of the given preset, synthesised when absent or stale (as ensureSynthModels). */
export async function ensureSynthModel(modelsDir: string, name: string, preset: PresetName, role: SynthRole, tokenizerDir?: string): Promise<string> {
  return ensureOne(resolve(modelsDir), [name, preset], role, tokenizerDir);
}

async function ensureOne(modelsDir: string, [name, preset]: [string, PresetName], role: SynthRole, tokenizerDir?: string): Promise<string> {
  const dir = join(modelsDir, name);
  const stale = existsSync(dir) && isStaleSynth(dir);
  if (existsSync(dir) && !stale) return dir;
  // Build beside the target and rename into place, so a crash or a concurrent test process never sees half a
  // folder; whoever renames first wins and the others drop their copy.
  const staging = join(modelsDir, `.${name}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await synthesiseModel({ role, preset, outDir: staging, tokenizerDir });
    if (stale) {
      // Another process may have rebuilt it meanwhile: keep theirs.
      if (existsSync(dir) && !isStaleSynth(dir)) return dir;
      rmSync(dir, { recursive: true, force: true });
    }
    try {
      renameSync(staging, dir);
    } catch (err) {
      if (!existsSync(join(dir, 'onnx', 'model.onnx'))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** A folder this synthesiser wrote with an older graph format (never true for a real model's folder). */
function isStaleSynth(dir: string): boolean {
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8')) as { synthesised?: unknown; graphFormat?: unknown };
    return marker.synthesised === true && marker.graphFormat !== GRAPH_FORMAT;
  } catch {
    return false;
  }
}

/** The folder holding this project's package.json, from source (core/...) or a build (dist/core/...). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readJsonName(pkg) === 'localrag') return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    dir = parent;
  }
}

function readJsonName(path: string): string | undefined {
  try { return (JSON.parse(readFileSync(path, 'utf8')) as { name?: string }).name; } catch { return undefined; }
}
