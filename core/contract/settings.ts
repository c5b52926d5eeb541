// Settings: one schema gives the type, the defaults, and the validation message that says what is allowed.
import { z } from 'zod';
import { EXECUTION_PROVIDERS, LANGUAGES, LLM_BACKENDS, NORMALISATIONS, RERANK_MODES, RETRIEVAL_FUSIONS } from './vocabulary.js';
import { RETRIEVAL_MODES } from './vocabulary.js';
import type { AppError } from './api.js';
import { AppErrorException } from './app-error.js';

/** An address the app sends requests to: http or https only (a `javascript:` or `file:` URL is not a server). */
export function isHttpUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A model name is one folder name in the models folder: no separators, nothing that climbs out of it. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** One folder name in the models folder (also what a downloaded or imported model may be called). */
export function isModelName(s: string): boolean {
  return MODEL_NAME.test(s) && !s.includes('..');
}

/** A model setting holds a name in the models folder or an absolute folder path, never a relative path. */
export function isModelNameOrFolder(s: string): boolean {
  return isModelName(s) || isAbsolutePath(s);
}

/** An absolute path on any platform, without `..` (a relative one would be read against the engine's working folder). */
function isAbsolutePath(s: string): boolean {
  const absolute = s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\\\\');
  return absolute && !s.includes('\0') && !s.split(/[\\/]+/).includes('..');
}

const httpUrl = z.string().refine(isHttpUrl);
const modelNameOrFolder = z.string().refine(isModelNameOrFolder);

export const SettingsSchema = z.object({
  // retrieval
  retrieveK: z.number().int().min(1).max(1000).default(100),
  retrievalFusion: z.enum(RETRIEVAL_FUSIONS).default('rrf'),
  /** Weight of the dense list in weighted fusion (BM25 gets 1 - w). */
  denseWeight: z.number().min(0).max(1).default(0.5),
  /** Where candidates come from: dense and BM25 fused (hybrid), BM25 alone, or dense alone. */
  retrieval: z.enum(RETRIEVAL_MODES).default('hybrid'),
  /** BM25 term-frequency saturation (Robertson and Zaragoza's and Lucene's default 1.2); for experts. */
  bm25K1: z.number().min(0).max(10).default(1.2),
  /** BM25 document-length normalisation, 0 (none) to 1 (full); Lucene's default 0.75; for experts. */
  bm25B: z.number().min(0).max(1).default(0.75),
  // reranking ("MixLM")
  rerankMode: z.enum(RERANK_MODES).default('mixlm'),
  topN: z.number().int().min(1).max(1000).default(20),
  alpha: z.number().min(0).max(1).default(0.7),
  finalK: z.number().int().min(1).max(100).default(10),
  normalisation: z.enum(NORMALISATIONS).default('minmax'),
  crossMaxLength: z.number().int().min(16).max(512).default(512),
  crossBatchSize: z.number().int().min(1).max(256).default(32),
  // chunking (in the embedder's tokens, prefix included)
  chunkTokens: z.number().int().min(32).max(8192).default(256),
  chunkOverlap: z.number().int().min(0).max(1024).default(32),
  // models
  embedderModel: modelNameOrFolder.default('multilingual-e5-small'),
  crossEncoderModel: modelNameOrFolder.default('ms-marco-MiniLM-L-6-v2'),
  /** Prefer onnx/model_quantized.onnx (int8) when the model folder has it. */
  preferQuantized: z.boolean().default(true),
  executionProvider: z.enum(EXECUTION_PROVIDERS).default('auto'),
  embedBatchSize: z.number().int().min(1).max(512).default(32),
  // answers
  llmBackend: z.enum(LLM_BACKENDS).default('ollama'),
  ollamaHost: httpUrl.default('http://127.0.0.1:11434'),
  ollamaModel: z.string().default(''),
  embeddedModelPath: z.string().refine((p) => p === '' || isAbsolutePath(p)).default(''),
  llmFirstTokenTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  /** Once the answer flows, the longest pause between two tokens before it is ended as stalled. */
  llmIdleTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  llmContextTokens: z.number().int().min(256).max(1_048_576).default(4096),
  llmMaxAnswerTokens: z.number().int().min(16).max(32_768).default(512),
  // app
  language: z.enum(LANGUAGES).default('en'),
  hubHost: httpUrl.default('https://huggingface.co'),
}).strict().refine((s) => s.chunkOverlap < s.chunkTokens / 2, {
  message: 'must be less than half of the chunk size',
  path: ['chunkOverlap'],
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** Validates a change against the current settings; throws a message that names each setting and what it allows. */
export function mergeSettings(current: Settings, change: unknown): Settings {
  const merged = { ...current, ...(change as object) };
  const result = SettingsSchema.safeParse(merged);
  if (!result.success) throw new SettingsError(settingsProblem(result.error.issues, merged));
  return result.data;
}

/** A setting that does not validate; its appError names the setting by its label and says what it allows. */
export class SettingsError extends AppErrorException {
  readonly code = 'invalid-setting';
}

export type SettingKey = keyof Settings;

/** What each setting is called where people see it (the same words as the Settings screen). */
export const SETTING_LABELS: Record<SettingKey, string> = {
  retrieveK: 'Candidates retrieved (K)',
  retrievalFusion: 'Retrieval fusion',
  denseWeight: 'Dense weight in fusion',
  retrieval: 'Retrieval (hybrid, BM25 or dense)',
  bm25K1: 'BM25 k1 (term-frequency saturation)',
  bm25B: 'BM25 b (length normalisation)',
  rerankMode: 'Rerank mode',
  topN: 'Cross-encoder top N',
  alpha: 'Alpha (weight of the cross-encoder)',
  finalK: 'Passages sent to the LLM (final k)',
  normalisation: 'Score normalisation',
  crossMaxLength: 'Cross-encoder input length (tokens)',
  crossBatchSize: 'Cross-encoder batch size',
  chunkTokens: 'Chunk size (tokens)',
  chunkOverlap: 'Chunk overlap (tokens)',
  embedderModel: 'Embedding model',
  crossEncoderModel: 'Cross-encoder model',
  preferQuantized: 'Prefer quantized (int8) models',
  executionProvider: 'Execution provider',
  embedBatchSize: 'Embedding batch size',
  llmBackend: 'LLM backend',
  ollamaHost: 'Ollama host',
  ollamaModel: 'Ollama model',
  embeddedModelPath: 'Embedded GGUF model file',
  llmFirstTokenTimeoutMs: 'First-token timeout (ms)',
  llmIdleTimeoutMs: 'Between-token timeout (ms)',
  llmContextTokens: 'LLM context window (tokens)',
  llmMaxAnswerTokens: 'Answer length limit (tokens)',
  language: 'Language',
  hubHost: 'Model download site',
};

/** What the free-text settings with a rule accept, in words; numbers, choices and switches are read from the schema. */
const TEXT_RULES: Partial<Record<SettingKey, string>> = {
  ollamaHost: 'an http:// or https:// address, like http://127.0.0.1:11434',
  hubHost: 'an http:// or https:// address, like https://huggingface.co',
  embedderModel: "a model name (letters, digits, '.', '_' or '-') or an absolute folder path",
  crossEncoderModel: "a model name (letters, digits, '.', '_' or '-') or an absolute folder path",
  embeddedModelPath: 'the absolute path of a .gguf file, or empty',
};

export function isSettingKey(key: unknown): key is SettingKey {
  return typeof key === 'string' && Object.hasOwn(SettingsSchema.shape, key);
}

/** What a setting accepts, in words: "a whole number from 1 to 1,000", "one of none, bi, cross, mixlm". */
export function allowedValues(key: SettingKey): string {
  const field: unknown = SettingsSchema.shape[key].unwrap();
  const n = (x: number | null) => (x ?? 0).toLocaleString('en-US');
  if (field instanceof z.ZodNumber) return `${field.isInt ? 'a whole number' : 'a number'} from ${n(field.minValue)} to ${n(field.maxValue)}`;
  if (field instanceof z.ZodEnum) return `one of ${(field.options as string[]).join(', ')}`;
  if (field instanceof z.ZodBoolean) return 'true or false';
  return TEXT_RULES[key] ?? 'text';
}

/** A value as the user typed it, short enough for one line. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One sentence per problem, each naming the setting as people know it; params describe the first one. */
export function settingsProblem(issues: readonly z.core.$ZodIssue[], input: unknown): AppError {
  const values = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const sentences: string[] = [];
  let params: Record<string, string | number> | undefined;
  for (const issue of issues) {
    const key = issue.path[0];
    if (issue.code === 'unrecognized_keys') {
      sentences.push(`There is no setting called ${issue.keys.map((k) => `"${k}"`).join(', ')}.`);
      params ??= { setting: issue.keys.join(', ') };
      continue;
    }
    if (!isSettingKey(key)) {
      sentences.push('The settings could not be read.');
      continue;
    }
    const label = SETTING_LABELS[key];
    const value = shown(values[key]);
    // Rules across settings (the chunk overlap) word their own message, "must ..."; the rest is read from the schema.
    const rule = issue.code === 'custom' && issue.message.startsWith('must ') ? issue.message : `must be ${allowedValues(key)}`;
    sentences.push(`${label} ${rule} (got ${value}).`);
    params ??= { setting: key, label, allowed: rule.replace(/^must be /, ''), value };
  }
  return {
    code: 'invalid-setting',
    message: sentences.join(' '),
    action: 'Change it to an allowed value and try again.',
    ...(params ? { params } : {}),
  };
}
