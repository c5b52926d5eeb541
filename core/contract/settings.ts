// Settings: one schema gives the type, the defaults, and the validation message that says what is allowed.
import { z } from 'zod';
import { EXECUTION_PROVIDERS, LANGUAGES, LLM_BACKENDS, NORMALISATIONS, RERANK_MODES, RETRIEVAL_FUSIONS } from './vocabulary.js';

export const SettingsSchema = z.object({
  // retrieval
  retrieveK: z.number().int().min(1).max(1000).default(100),
  retrievalFusion: z.enum(RETRIEVAL_FUSIONS).default('rrf'),
  /** Weight of the dense list in weighted fusion (BM25 gets 1 - w). */
  denseWeight: z.number().min(0).max(1).default(0.5),
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
  embedderModel: z.string().min(1).default('multilingual-e5-small'),
  crossEncoderModel: z.string().min(1).default('ms-marco-MiniLM-L-6-v2'),
  /** Prefer onnx/model_quantized.onnx (int8) when the model folder has it. */
  preferQuantized: z.boolean().default(true),
  executionProvider: z.enum(EXECUTION_PROVIDERS).default('auto'),
  embedBatchSize: z.number().int().min(1).max(512).default(32),
  // answers
  llmBackend: z.enum(LLM_BACKENDS).default('ollama'),
  ollamaHost: z.string().url().default('http://127.0.0.1:11434'),
  ollamaModel: z.string().default(''),
  embeddedModelPath: z.string().default(''),
  llmFirstTokenTimeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  /** Once the answer flows, the longest pause between two tokens before it is ended as stalled. */
  llmIdleTimeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
  llmContextTokens: z.number().int().min(256).max(1_048_576).default(4096),
  llmMaxAnswerTokens: z.number().int().min(16).max(32_768).default(512),
  // app
  language: z.enum(LANGUAGES).default('en'),
  hubHost: z.string().url().default('https://huggingface.co'),
}).strict().refine((s) => s.chunkOverlap < s.chunkTokens / 2, {
  message: 'chunkOverlap must be less than half of chunkTokens',
  path: ['chunkOverlap'],
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** Validates a change against the current settings; throws a message that names each field and what it allows. */
export function mergeSettings(current: Settings, change: unknown): Settings {
  const result = SettingsSchema.safeParse({ ...current, ...(change as object) });
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
    throw new SettingsError(lines.join('; '));
  }
  return result.data;
}

export class SettingsError extends Error {
  readonly code = 'invalid-setting';
}
