// One ONNX Runtime session per model per process, on the best execution provider that really works here. "Works"
// means more than accepting the session: each candidate runs the caller's probe (a realistic batch whose outputs
// are checked), a GPU provider is kept only when that run beats the CPU's, and whatever failed says why. The share
// of graph nodes each provider really ran comes from ORT's profiler during the probe (a provider may accept the
// session and still leave most nodes, e.g. int8 ops or a 250k-row Gather, to the CPU).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { Settings } from '../contract/settings.js';
import { providerUnavailableReason } from './gpu-adapters.js';
import { cpuSessionOptions } from './session-options.js';

export type ProviderSetting = Settings['executionProvider'];

export interface OnnxSession {
  session: ort.InferenceSession;
  /** The provider actually running the model ('cuda', 'webgpu', 'dml', 'coreml' or 'cpu'). */
  provider: string;
  modelPath: string;
  /** Why a requested or tried GPU provider is not the one running the model, for logs and the UI. */
  fallbackReason: string | null;
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** The sequence length input_ids is fixed to in the graph (some static-shape exports: 128, 256), null when dynamic. */
  sequenceLength?: number | null;
  /** Milliseconds of the (warm) probe run per provider that completed it. */
  probeMs?: Record<string, number>;
  /** Share of graph nodes per provider during the probe (e.g. { webgpu: 0.93, cpu: 0.07 }); null when unknown. */
  placement?: Record<string, number> | null;
}

/** GPU providers tried by `auto`, per platform, before the CPU (CUDA first where its add-on is installed). */
export function gpuProvidersFor(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'linux') return ['cuda', 'webgpu'];
  if (platform === 'win32') return ['dml', 'webgpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu'];
  return [];
}

function providerOrder(setting: ProviderSetting): string[] {
  if (setting === 'cpu') return ['cpu'];
  if (setting === 'auto') return [...gpuProvidersFor(), 'cpu'];
  return [setting, 'cpu'];
}

/**
 * Padded tokens per cross-encoder batch: 1,024 on the CPU (larger batches spill the cache there, see
 * cross-encoder.ts); a GPU wants large batches to fill its cores, and its launches cost more than a CPU call.
 */
export function batchTokensFor(provider: string): number {
  return provider === 'cpu' ? 1024 : 16_384;
}

/** Whether a model file is the int8 export (its activations are quantised with one scale per input tensor). */
export function isQuantizedModel(modelPath: string): boolean {
  return modelPath.endsWith('_quantized.onnx');
}

/** Picks `onnx/model_quantized.onnx` when preferred and present, else `onnx/model.onnx`. */
export function modelFile(modelDir: string, preferQuantized: boolean): string {
  const int8 = `${modelDir}/onnx/model_quantized.onnx`;
  const fp32 = `${modelDir}/onnx/model.onnx`;
  if (preferQuantized && existsSync(int8)) return int8;
  if (existsSync(fp32)) return fp32;
  if (existsSync(int8)) return int8;
  throw new Error(`no ONNX model in ${modelDir}/onnx (expected model.onnx or model_quantized.onnx)`);
}

/** Creates a session on one provider; replaced in tests to stand in for a GPU that fails. */
export type SessionFactory = (modelPath: string, provider: string, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;

/** ORT's own, after the checks that spare a hopeless GPU attempt (gpu-adapters.ts). */
const defaultFactory: SessionFactory = async (modelPath, provider, options) => {
  const skip = provider === 'cpu' ? null : providerUnavailableReason(provider);
  if (skip) throw new Error(skip);
  return ort.InferenceSession.create(modelPath, { ...options, executionProviders: [provider] });
};
let factory: SessionFactory = defaultFactory;

/** For tests and device checks: how sessions are created (null restores ORT's own). */
export function setSessionFactory(f: SessionFactory | null): void {
  factory = f ?? defaultFactory;
}

export interface OpenSessionOptions {
  modelDir: string;
  preferQuantized: boolean;
  setting: ProviderSetting;
  log?: (line: string) => void;
  /**
   * One run that throws when the outputs are unusable. `timed`: its time decides between a GPU and the CPU, so it
   * should be a realistic batch; otherwise a small one that only checks the outputs keeps loading fast.
   */
  probe: (s: OnnxSession, timed: boolean) => Promise<void>;
}

/**
 * The session to use: each GPU candidate (fp32 weights: int8 ops mostly fall back to the CPU on GPU providers) must
 * start, pass the probe and then beat the CPU's probe time; otherwise the CPU session (int8 when preferred) runs
 * the model and fallbackReason says what happened to each GPU provider.
 */
export async function openSession(opts: OpenSessionOptions): Promise<OnnxSession> {
  const log = opts.log ?? (() => {});
  const reasons: string[] = [];
  let gpu: OnnxSession | null = null;
  for (const provider of providerOrder(opts.setting).filter((p) => p !== 'cpu')) {
    const tried = await tryProvider(modelFile(opts.modelDir, false), provider, opts.probe, true);
    if ('reason' in tried) { reasons.push(tried.reason); continue; }
    gpu = tried.session;
    break;
  }
  // The CPU's probe is timed only when there is a GPU to compare with; otherwise one run checks the outputs.
  const cpuTry = await tryProvider(modelFile(opts.modelDir, opts.preferQuantized), 'cpu', opts.probe, gpu !== null);
  if ('reason' in cpuTry) {
    await gpu?.session.release();
    throw cpuTry.error;
  }
  let chosen = cpuTry.session;
  if (gpu) {
    const g = gpu.probeMs![gpu.provider]!;
    const c = cpuTry.session.probeMs!.cpu!;
    if (g < c) {
      chosen = gpu;
      await cpuTry.session.session.release();
    } else {
      reasons.push(`${gpu.provider} ran the probe in ${g.toFixed(1)} ms, the CPU in ${c.toFixed(1)} ms: the CPU is faster here`);
      await gpu.session.release();
    }
    chosen.probeMs = { ...gpu.probeMs, cpu: c };
  }
  chosen.fallbackReason = reasons.length ? reasons.join('; ') : null;
  if (chosen.fallbackReason && opts.setting !== 'cpu') log(`onnx: ${chosen.fallbackReason}; running ${chosen.modelPath} on ${chosen.provider}`);
  return chosen;
}

type Tried = { session: OnnxSession } | { reason: string; error: unknown };

/**
 * Creates the session with the profiler on, runs the probe (twice when timed: the first run warms up, e.g. compiles
 * GPU kernels) and reads the placement.
 */
async function tryProvider(modelPath: string, provider: string, probe: OpenSessionOptions['probe'], timed: boolean): Promise<Tried> {
  // ORT's native logger would print an absent GPU provider's failure to stderr on every start (and
  // @huggingface/transformers resets the level when it loads); failures reach us as exceptions instead.
  ort.env.logLevel = 'fatal';
  const profileDir = mkdtempSync(join(tmpdir(), 'localrag-ort-'));
  let session: ort.InferenceSession;
  try {
    session = await factory(modelPath, provider, {
      ...cpuSessionOptions(), logSeverityLevel: provider === 'cpu' ? 3 : 4,
      enableProfiling: true, profileFilePrefix: join(profileDir, 'probe'),
    });
  } catch (err) {
    rmSync(profileDir, { recursive: true, force: true });
    return { reason: `${provider} provider unavailable: ${firstLine(err)}`, error: err };
  }
  const s: OnnxSession = { session, provider, modelPath, fallbackReason: null, inputNames: session.inputNames, outputNames: session.outputNames, sequenceLength: fixedSequenceLength(session) };
  try {
    if (timed) await probe(s, true);
    const t0 = performance.now();
    await probe(s, timed);
    s.probeMs = { [provider]: performance.now() - t0 };
    s.placement = readPlacement(session, profileDir);
    return { session: s };
  } catch (err) {
    await session.release().catch(() => {});
    return { reason: `${provider} failed its first run: ${firstLine(err)}`, error: err };
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
}

const PROVIDER_NAMES: Record<string, string> = {
  CPUExecutionProvider: 'cpu', CUDAExecutionProvider: 'cuda', WebGpuExecutionProvider: 'webgpu', JsExecutionProvider: 'webgpu',
  DmlExecutionProvider: 'dml', CoreMLExecutionProvider: 'coreml', TensorrtExecutionProvider: 'tensorrt',
};

/** Ends profiling and counts the distinct graph nodes each provider ran; null when the trace cannot be read. */
function readPlacement(session: ort.InferenceSession, dir: string): Record<string, number> | null {
  try {
    session.endProfiling();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) return null;
    const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cat?: string; name?: string; args?: { provider?: string } }[];
    const byNode = new Map<string, string>();
    for (const e of events) {
      if (e.cat === 'Node' && e.args?.provider && e.name) byNode.set(e.name.replace(/_kernel_time$|_fence_(before|after)$/, ''), e.args.provider);
    }
    if (!byNode.size) return null;
    const counts: Record<string, number> = {};
    for (const p of byNode.values()) {
      const name = PROVIDER_NAMES[p] ?? p;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    for (const k of Object.keys(counts)) counts[k] = Math.round((counts[k]! / byNode.size) * 1000) / 1000;
    return counts;
  } catch {
    return null;
  }
}

/** The old entry point: a session on the first provider that starts, without a probe. */
export async function createOnnxSession(modelPath: string, setting: ProviderSetting, log: (line: string) => void = () => {}): Promise<OnnxSession> {
  const reasons: string[] = [];
  ort.env.logLevel = 'fatal';
  for (const provider of providerOrder(setting)) {
    try {
      const session = await factory(modelPath, provider, { ...cpuSessionOptions(), logSeverityLevel: provider === 'cpu' ? 3 : 4 });
      const fallbackReason = reasons.length ? reasons.join('; ') : null;
      if (fallbackReason) log(`onnx: ${fallbackReason}; running ${modelPath} on ${provider}`);
      return { session, provider, modelPath, fallbackReason, inputNames: session.inputNames, outputNames: session.outputNames, sequenceLength: fixedSequenceLength(session) };
    } catch (err) {
      if (provider === 'cpu') throw err;
      reasons.push(`${provider} provider unavailable: ${firstLine(err)}`);
    }
  }
  throw new Error(`no execution provider could start ${modelPath}`);
}

/** input_ids' second dimension when the graph fixes it to a number; null when it is symbolic or unknown. */
export function fixedSequenceLength(session: ort.InferenceSession): number | null {
  try {
    const meta = session.inputMetadata?.find((m) => m.name === 'input_ids');
    const dim = meta?.isTensor ? meta.shape[1] : undefined;
    return typeof dim === 'number' && dim > 0 ? dim : null;
  } catch {
    return null;
  }
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0]!.slice(0, 300);
}

/** Runs a BERT-style session on a padded batch: input_ids, attention_mask and (when the graph has it) token_type_ids. */
export async function runBert(onnx: OnnxSession, batch: { ids: BigInt64Array; mask: BigInt64Array; types: BigInt64Array; rows: number; cols: number }): Promise<ort.InferenceSession.OnnxValueMapType> {
  const { ids, mask, types, rows, cols } = batch;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [rows, cols]),
    attention_mask: new ort.Tensor('int64', mask, [rows, cols]),
  };
  if (onnx.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', types, [rows, cols]);
  return onnx.session.run(feeds);
}
