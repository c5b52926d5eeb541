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
  /** After the first token (or thinking), the longest pause allowed between two; none when absent. */
  idleTimeoutMs?: number;
  /** The most characters (answer and thinking together) accepted before the answer is cut; none when absent. */
  maxChars?: number;
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
  | 'malformed-stream' | 'first-token-timeout' | 'load-failed'
  | 'idle-timeout' | 'answer-too-long' | 'reply-too-large' | 'server-timeout' | 'empty-answer' | 'server-stopped-answer';

/** A fault of the answer stage: a stable code, one sentence for the user, and what to do about it. */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly action: string,
    options?: { cause?: unknown; params?: Record<string, string | number> },
  ) {
    super(message, options);
    this.params = options?.params;
  }

  /** The values named in the message, for translations and for hosts that word the action their own way. */
  readonly params: Record<string, string | number> | undefined;

  /** The form hosts send to the UI (serve's toAppError looks for this property first). */
  get appError(): AppError {
    return { code: this.code, message: this.message, action: this.action, ...(this.params ? { params: this.params } : {}) };
  }
}

export function isLlmError(err: unknown): err is LlmError {
  return err instanceof LlmError;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Shared wording for the first-token timeout, which both backends enforce the same way. */
export function firstTokenTimeoutError(model: string, ms: number): LlmError {
  return new LlmError(
    'first-token-timeout',
    `The model "${model}" produced no first token within ${duration(ms)}.`,
    'It may still be loading or be too large for this machine: try again, pick a smaller model, or raise the first-token timeout in Settings.',
    { params: { model, ms } },
  );
}

/** The model started answering and then went quiet for longer than the between-token timeout. */
export function idleTimeoutError(model: string, ms: number): LlmError {
  return new LlmError(
    'idle-timeout',
    `The model "${model}" stopped sending text for ${duration(ms)} in the middle of its answer; the answer is incomplete.`,
    'Try again; if it keeps stopping, restart the LLM (for Ollama: `ollama serve`), pick a smaller model, or raise the between-token timeout in Settings.',
    { params: { model, ms } },
  );
}

/** The backend ignored the answer length it was given (a model cannot write this much in the tokens it was allowed). */
export function answerTooLongError(model: string, chars: number): LlmError {
  return new LlmError(
    'answer-too-long',
    `The model "${model}" sent more than ${chars} characters, far beyond the answer length it was asked for; the answer was cut there.`,
    'The LLM server ignored the answer length limit: update it (for Ollama: a current version), or lower the answer length limit in Settings.',
    { params: { model, chars } },
  );
}

/**
 * Characters an answer of `tokens` tokens may reasonably take: real tokens average about 4 characters and rarely
 * pass 32, so only a server that ignores the token limit goes past this.
 */
export function answerCharLimit(tokens: number): number {
  return tokens * 32 + 4096;
}

type WatchLimits = Pick<GenerateRequest, 'firstTokenTimeoutMs' | 'idleTimeoutMs' | 'maxChars'>;

/**
 * One generation's watchdog, shared by both backends: no first token in time, too long a pause once text flows
 * (an LLM can stall at any point, not only before it starts), or more text than any answer of the allowed length.
 * `onExpire` must stop the generation; the backend then throws `error()`.
 */
export class GenerationWatch {
  expired: 'first-token' | 'idle' | 'too-long' | null = null;
  private chars = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly limits: WatchLimits, private readonly onExpire: () => void) {
    this.arm(limits.firstTokenTimeoutMs, 'first-token');
  }

  /** The model is alive: `chars` more characters of answer or thinking arrived. False once the watch has expired. */
  progress(chars: number): boolean {
    if (this.expired) return false;
    this.chars += chars;
    if (this.limits.maxChars !== undefined && this.chars > this.limits.maxChars) {
      this.expire('too-long');
      return false;
    }
    this.arm(this.limits.idleTimeoutMs, 'idle');
    return true;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The error for the way the watch expired; call only when `expired` is set. */
  error(model: string): LlmError {
    if (this.expired === 'idle') return idleTimeoutError(model, this.limits.idleTimeoutMs!);
    if (this.expired === 'too-long') return answerTooLongError(model, this.limits.maxChars!);
    return firstTokenTimeoutError(model, this.limits.firstTokenTimeoutMs);
  }

  private arm(ms: number | undefined, kind: 'first-token' | 'idle'): void {
    this.stop();
    if (ms !== undefined) this.timer = setTimeout(() => this.expire(kind), ms);
  }

  private expire(kind: NonNullable<GenerationWatch['expired']>): void {
    this.stop();
    this.expired = kind;
    this.onExpire();
  }
}

/** Generation speed after the first token, so prompt evaluation does not dilute it (as Ollama's eval_duration). */
export function tokensPerSecond(tokens: number | null, ms: number | null): number | null {
  if (tokens === null || ms === null || tokens <= 0 || ms <= 0) return null;
  return tokens / (ms / 1000);
}
