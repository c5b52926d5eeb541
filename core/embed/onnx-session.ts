// One ONNX Runtime session per model per process, on the best execution provider that really starts.
import { existsSync } from 'node:fs';
import ort from 'onnxruntime-node';
import type { Settings } from '../contract/settings.js';
import { cpuSessionOptions } from './session-options.js';

export type ProviderSetting = Settings['executionProvider'];

export interface OnnxSession {
  session: ort.InferenceSession;
  /** The provider actually running the model ('cuda', 'dml', 'coreml' or 'cpu'). */
  provider: string;
  modelPath: string;
  /** Why a requested GPU provider was not used, for logs and the UI. */
  fallbackReason: string | null;
  inputNames: readonly string[];
  outputNames: readonly string[];
}

/** GPU providers tried by `auto`, per platform, before the CPU. */
export function gpuProvidersFor(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'linux') return ['cuda'];
  if (platform === 'win32') return ['dml'];
  if (platform === 'darwin') return ['coreml'];
  return [];
}

function providerOrder(setting: ProviderSetting): string[] {
  if (setting === 'cpu') return ['cpu'];
  if (setting === 'auto') return [...gpuProvidersFor(), 'cpu'];
  return [setting, 'cpu'];
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

export async function createOnnxSession(modelPath: string, setting: ProviderSetting, log: (line: string) => void = () => {}): Promise<OnnxSession> {
  const reasons: string[] = [];
  // ORT's native logger would print an absent GPU provider's failure to stderr on every start (and
  // @huggingface/transformers resets the level when it loads); errors still reach us as exceptions, and the
  // fallback reason is reported once through our own log.
  ort.env.logLevel = 'fatal';
  for (const provider of providerOrder(setting)) {
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        ...cpuSessionOptions(),
        executionProviders: [provider],
        // A GPU provider that is absent is expected here: its failure is reported once, as our fallback reason.
        logSeverityLevel: provider === 'cpu' ? 3 : 4,
      });
      const fallbackReason = reasons.length ? reasons.join('; ') : null;
      if (fallbackReason) log(`onnx: ${fallbackReason}; running ${modelPath} on ${provider}`);
      return { session, provider, modelPath, fallbackReason, inputNames: session.inputNames, outputNames: session.outputNames };
    } catch (err) {
      if (provider === 'cpu') throw err;
      reasons.push(`${provider} provider unavailable: ${firstLine(err)}`);
    }
  }
  throw new Error(`no execution provider could start ${modelPath}`);
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0]!.slice(0, 200);
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
