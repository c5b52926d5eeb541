// Embedded backend: a GGUF model run in-process by node-llama-cpp (prebuilt CPU binaries, never compiled here).
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
// Types only at the top: the module takes ~0.6 s to import, which Ollama users and the CLI should not pay.
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import {
  GenerationWatch, LlmError, tokensPerSecond,
  type GenerateRequest, type GenerateResult, type LlmBackendClient, type ModelInfo,
} from './backend.js';
import { approxTokenCount } from './prompt.js';

export interface EmbeddedClientOptions {
  /** The GGUF file used when a request names no model. */
  modelPath?: string;
  /** A folder whose *.gguf files listModels() offers besides modelPath. */
  modelsDir?: string;
  /**
   * Evaluation threads. llama.cpp's threads spin while they wait for each other, so using every core while the UI
   * (or anything else) needs one makes generation collapse: measured 50 tokens in 58 s with 2 threads on a busy
   * 2-core machine against 0.5 s with 1. Default: all cores but one.
   */
  threads?: number;
  /**
   * 'auto': the model's chat template when the file has one, else a plain completion prompt (all such a model
   * understands). 'chat' forces node-llama-cpp's chat formatting, 'completion' the plain prompt.
   */
  promptStyle?: 'auto' | 'chat' | 'completion';
}

/** One loaded model, its context (kept while requests ask for the same size) and a queue: one answer at a time. */
interface Loaded {
  lib: typeof import('node-llama-cpp');
  path: string;
  model: LlamaModel;
  context: LlamaContext | null;
  hasChatTemplate: boolean;
  queue: Promise<unknown>;
  /** Settles when the last native generation has finished and freed its sequence. */
  busy: Promise<void>;
}

const noop = () => {};

/** Resolves when the signal aborts (at once if it already has). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((r) => signal.addEventListener('abort', () => r(), { once: true }));
}

export class EmbeddedClient implements LlmBackendClient {
  readonly backend = 'embedded' as const;
  private readonly modelPath: string;
  private readonly modelsDir: string | null;
  private readonly threads: number;
  private readonly promptStyle: 'auto' | 'chat' | 'completion';
  private llama: Promise<{ lib: typeof import('node-llama-cpp'); llama: Llama }> | null = null;
  private readonly models = new Map<string, Promise<Loaded>>();
  private lastLoaded: Loaded | null = null;
  private readonly closing = new AbortController();

  constructor(options: EmbeddedClientOptions = {}) {
    this.modelPath = options.modelPath ? resolve(options.modelPath) : '';
    this.modelsDir = options.modelsDir ? resolve(options.modelsDir) : null;
    this.threads = options.threads ?? Math.max(1, availableParallelism() - 1);
    this.promptStyle = options.promptStyle ?? 'auto';
  }

  async listModels(): Promise<string[]> {
    const found = new Set<string>();
    if (this.modelPath && existsSync(this.modelPath)) found.add(this.modelPath);
    if (this.modelsDir && existsSync(this.modelsDir)) {
      for (const name of readdirSync(this.modelsDir)) if (name.toLowerCase().endsWith('.gguf')) found.add(join(this.modelsDir, name));
    }
    return [...found].sort();
  }

  /** Loads the model (once per path) and reports its trained context size. */
  async modelInfo(model: string): Promise<ModelInfo> {
    const loaded = await this.load(this.pathOf(model));
    return { contextTokens: loaded.model.trainContextSize };
  }

  /** Tokens by the tokenizer of the model loaded last; chars/3 before any model is loaded. */
  countTokens(s: string): number {
    return this.lastLoaded ? this.lastLoaded.model.tokenize(s).length : approxTokenCount(s);
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    const loaded = await this.load(this.pathOf(req.model));
    // One sequence per context: requests for the same model wait their turn rather than fail for want of one.
    const run = loaded.queue.then(() => this.run(loaded, req));
    loaded.queue = run.then(() => loaded.busy, () => loaded.busy);
    return run;
  }

  async close(): Promise<void> {
    this.closing.abort();
    const loaded = await Promise.allSettled([...this.models.values()]);
    this.models.clear();
    this.lastLoaded = null;
    for (const r of loaded) {
      if (r.status !== 'fulfilled') continue;
      await r.value.queue;
      await r.value.busy;
      await r.value.context?.dispose();
      await r.value.model.dispose();
    }
    const llama = this.llama;
    this.llama = null;
    if (llama) await (await llama.catch(() => null))?.llama.dispose();
  }

  private pathOf(model: string): string {
    const path = model ? resolve(model) : this.modelPath;
    if (!path) {
      throw new LlmError('model-missing', 'No GGUF model file is chosen for answers.',
        'Choose a GGUF file in Settings, or switch the answer backend to Ollama.', { params: { path: '' } });
    }
    if (!existsSync(path)) {
      throw new LlmError('model-missing', `The GGUF model file ${path} does not exist.`,
        'Choose an existing GGUF file in Settings, or import one.', { params: { path } });
    }
    return path;
  }

  private load(path: string): Promise<Loaded> {
    let loading = this.models.get(path);
    if (!loading) {
      loading = this.loadUncached(path);
      this.models.set(path, loading);
      // A failed load is not cached: the user may fix the file and ask again.
      loading.catch(() => this.models.delete(path));
    }
    return loading.then((l) => (this.lastLoaded = l));
  }

  private async loadUncached(path: string): Promise<Loaded> {
    try {
      if (!this.llama) {
        const starting = import('node-llama-cpp').then(async (lib) => ({
          lib, llama: await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error }),
        }));
        this.llama = starting;
        starting.catch(() => {
          if (this.llama === starting) this.llama = null;
        });
      }
      const { lib, llama } = await this.llama;
      const model = await llama.loadModel({ modelPath: path });
      const hasChatTemplate = typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string';
      return { lib, path, model, context: null, hasChatTemplate, queue: Promise.resolve(), busy: Promise.resolve() };
    } catch (err) {
      throw new LlmError('load-failed', `The GGUF model ${path} could not be loaded: ${(err as Error).message}`,
        'Check that the file is a complete GGUF model that fits in memory, or choose another one in Settings.', { cause: err, params: { path } });
    }
  }

  private async contextFor(loaded: Loaded, wanted: number | undefined): Promise<LlamaContext> {
    const size = Math.min(wanted ?? loaded.model.trainContextSize, loaded.model.trainContextSize);
    if (loaded.context && loaded.context.contextSize === size) return loaded.context;
    await loaded.context?.dispose();
    loaded.context = null;
    loaded.context = await loaded.model.createContext({ contextSize: size, sequences: 1, threads: this.threads });
    return loaded.context;
  }

  private async run(loaded: Loaded, req: GenerateRequest): Promise<GenerateResult> {
    const start = performance.now();
    let text = '';
    let firstTokenAt: number | null = null;
    const stop = new AbortController();
    const abort = () => stop.abort();
    req.signal.addEventListener('abort', abort, { once: true });
    this.closing.signal.addEventListener('abort', abort, { once: true });
    const watch = new GenerationWatch(req, () => stop.abort());
    let stopped = false;
    const onTextChunk = (chunk: string) => {
      // Chunks the native side still produces after we answered the caller are not theirs any more.
      if (chunk === '' || stopped || stop.signal.aborted || !watch.progress(chunk.length)) return;
      firstTokenAt ??= performance.now();
      text += chunk;
      req.onToken(chunk);
    };

    try {
      if (req.signal.aborted || this.closing.signal.aborted) return this.result(text, start, firstTokenAt, null, true);
      const context = await this.contextFor(loaded, req.contextTokens);
      const sequence = context.getSequence();
      const generation = this.evaluate(loaded, sequence, req, { maxTokens: req.maxTokens, signal: stop.signal, onTextChunk });
      // llama.cpp looks at the signal only between tokens, not during a long prompt evaluation: the caller gets its
      // answer as soon as it stops, and the next request waits (busy) until the native call has really finished.
      loaded.busy = generation.then(noop, noop).finally(() => sequence.dispose());
      await Promise.race([generation, aborted(stop.signal)]);
      if (watch.expired) throw watch.error(req.model || loaded.path);
      return this.result(text, start, firstTokenAt, sequence, stop.signal.aborted);
    } catch (err) {
      if (watch.expired) throw watch.error(req.model || loaded.path);
      if (stop.signal.aborted) return this.result(text, start, firstTokenAt, null, true);
      if (err instanceof LlmError) throw err;
      throw new LlmError('load-failed', `The embedded model failed while answering: ${(err as Error).message}`,
        'Try again; if it keeps failing, lower the context size in Settings or choose another GGUF file.', { cause: err });
    } finally {
      stopped = true;
      watch.stop();
      req.signal.removeEventListener('abort', abort);
      this.closing.signal.removeEventListener('abort', abort);
    }
  }

  private async evaluate(
    loaded: Loaded, sequence: LlamaContextSequence, req: GenerateRequest,
    options: { maxTokens: number; signal: AbortSignal; onTextChunk: (chunk: string) => void },
  ): Promise<void> {
    // stopOnAbortSignal: once tokens flow, a stop ends the generation quietly instead of throwing.
    const opts = { ...options, stopOnAbortSignal: true };
    if (this.promptStyle === 'chat' || (this.promptStyle === 'auto' && loaded.hasChatTemplate)) {
      const session = new loaded.lib.LlamaChatSession({ contextSequence: sequence, systemPrompt: req.system, autoDisposeSequence: false });
      await session.promptWithMeta(req.user, opts);
      session.dispose({ disposeSequence: false });
    } else {
      const completion = new loaded.lib.LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
      await completion.generateCompletionWithMeta(`${req.system}\n\n${req.user}\n\nAnswer:`, opts);
      completion.dispose({ disposeSequence: false });
    }
  }

  private result(
    text: string, start: number, firstTokenAt: number | null,
    sequence: { tokenMeter: { usedInputTokens: number; usedOutputTokens: number } } | null, cancelled: boolean,
  ): GenerateResult {
    const end = performance.now();
    const outputTokens = sequence ? sequence.tokenMeter.usedOutputTokens : null;
    return {
      text,
      promptTokens: sequence ? sequence.tokenMeter.usedInputTokens : null,
      outputTokens,
      firstTokenMs: firstTokenAt === null ? null : firstTokenAt - start,
      totalMs: end - start,
      tokensPerSecond: tokensPerSecond(outputTokens, firstTokenAt === null ? null : end - firstTokenAt),
      cancelled,
    };
  }
}

export function createEmbeddedClient(options: EmbeddedClientOptions = {}): EmbeddedClient {
  return new EmbeddedClient(options);
}
