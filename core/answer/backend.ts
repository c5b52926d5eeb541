// The one interface both LLM backends (Ollama over HTTP, embedded node-llama-cpp) implement, and the error they throw.
import type { AppError, LlmBackend } from '../contract/api.js';

export interface GenerateRequest {
  system: string;
  user: string;
  /** Ollama: a model name; embedded: a GGUF file path. */
  model: string;
  maxTokens: number;
  /** The context window the prompt was fitted to; backends size their context to it when they can. */
  contextTokens?: number;
  firstTokenTimeoutMs: number;
  signal: AbortSignal;
  onToken: (t: string) => void;
}

export interface GenerateResult {
  text: string;
  promptTokens: number | null;
  outputTokens: number | null;
  firstTokenMs: number | null;
  totalMs: number;
  tokensPerSecond: number | null;
  /** True when the caller's signal stopped it; `text` is then the partial answer. */
  cancelled: boolean;
}

export interface ModelInfo {
  /** The most tokens the model can take in one context, as the model itself reports it; null when unknown. */
  contextTokens: number | null;
}

export interface LlmBackendClient {
  readonly backend: LlmBackend;
  listModels(): Promise<string[]>;
  /** Throws LlmError for every fault; a cancel by `signal` resolves with cancelled: true instead. */
  generate(req: GenerateRequest): Promise<GenerateResult>;
  /** The backend's own tokenizer, when it has one (embedded: the model last loaded). */
  countTokens?(s: string): number;
  /** Loads or looks the model up so the prompt can be fitted to its real context; throws LlmError. */
  modelInfo?(model: string): Promise<ModelInfo>;
  close(): Promise<void>;
}

export type LlmErrorCode =
  | 'server-unreachable' | 'model-missing' | 'http-error' | 'stream-broken'
  | 'malformed-stream' | 'first-token-timeout' | 'load-failed';

/** A fault of the answer stage: a stable code, one sentence for the user, and what to do about it. */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly action: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The form hosts send to the UI (serve's toAppError looks for this property first). */
  get appError(): AppError {
    return { code: this.code, message: this.message, action: this.action };
  }
}

export function isLlmError(err: unknown): err is LlmError {
  return err instanceof LlmError;
}

/** Shared wording for the first-token timeout, which both backends enforce the same way. */
export function firstTokenTimeoutError(model: string, ms: number): LlmError {
  const limit = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
  return new LlmError(
    'first-token-timeout',
    `The model "${model}" produced no first token within ${limit}.`,
    'It may still be loading or be too large for this machine: try again, pick a smaller model, or raise the first-token timeout in Settings.',
  );
}

/** Generation speed after the first token, so prompt evaluation does not dilute it (as Ollama's eval_duration). */
export function tokensPerSecond(tokens: number | null, ms: number | null): number | null {
  if (tokens === null || ms === null || tokens <= 0 || ms <= 0) return null;
  return tokens / (ms / 1000);
}
