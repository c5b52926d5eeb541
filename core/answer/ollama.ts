// Ollama backend: streamed /api/chat through the official client, with every transport fault mapped to an LlmError.
import { Ollama, type ChatResponse } from 'ollama';
import {
  GenerationWatch, LlmError, tokensPerSecond,
  type GenerateRequest, type GenerateResult, type LlmBackendClient, type ModelInfo,
} from './backend.js';
import { guardedFetch, MalformedLineError, ReplyTooLargeError } from './ndjson-guard.js';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** Listing, showing and pulling answer at once on a healthy server; a hung one should not hang the UI. */
const METADATA_TIMEOUT_MS = 10_000;

export interface PullProgress {
  status: string;
  completed: number | null;
  total: number | null;
}

export interface OllamaClientOptions {
  host?: string;
  metadataTimeoutMs?: number;
}

/** What the error mapping needs to know about where a request got to. */
interface Progress {
  op: 'chat' | 'pull' | 'metadata';
  model: string | null;
  responded: boolean;
  firstToken: boolean;
}

export class OllamaClient implements LlmBackendClient {
  readonly backend = 'ollama' as const;
  readonly host: string;
  private readonly metadataTimeoutMs: number;
  private readonly inFlight = new Set<AbortController>();
  private readonly info = new Map<string, ModelInfo>();
  private closed = false;

  constructor(options: OllamaClientOptions = {}) {
    this.host = (options.host ?? DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
    this.metadataTimeoutMs = options.metadataTimeoutMs ?? METADATA_TIMEOUT_MS;
  }

  async listModels(): Promise<string[]> {
    const res = await this.metadata(null, (o) => o.list());
    return res.models.map((m) => m.name);
  }

  /** The model's trained context length from /api/show, cached per model. */
  async modelInfo(model: string): Promise<ModelInfo> {
    if (!model) throw this.noModelChosen();
    const cached = this.info.get(model);
    if (cached) return cached;
    const show = await this.metadata(model, (o) => o.show({ model }));
    // Typed as a Map by the client, but it is the plain JSON object Ollama sent.
    const entries = Object.entries((show.model_info ?? {}) as unknown as Record<string, unknown>);
    const length = entries.find(([k, v]) => k.endsWith('.context_length') && typeof v === 'number')?.[1];
    const info: ModelInfo = { contextTokens: typeof length === 'number' ? length : null };
    this.info.set(model, info);
    return info;
  }

  async pullModel(name: string, onProgress: (p: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const { ctl, release } = this.track(signal);
    const guard = guardedFetch(ctl.signal);
    try {
      const stream = await new Ollama({ host: this.host, fetch: guard.fetch }).pull({ model: name, stream: true });
      for await (const p of stream) {
        onProgress({ status: p.status, completed: p.completed ?? null, total: p.total ?? null });
      }
      this.info.delete(name);
    } catch (err) {
      if (signal?.aborted) throw new LlmError('http-error', `Downloading "${name}" was cancelled.`, 'Start the download again when you are ready.', { cause: err });
      throw this.toLlmError(err, { op: 'pull', model: name, responded: guard.responded, firstToken: false });
    } finally {
      release();
    }
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    if (!req.model) throw this.noModelChosen();
    const start = performance.now();
    let text = '';
    let firstTokenAt: number | null = null;
    let final: ChatResponse | null = null;
    const finish = (cancelled: boolean): GenerateResult => {
      const end = performance.now();
      const evalMs = final?.eval_duration ? final.eval_duration / 1e6 : null;
      return {
        text,
        promptTokens: final?.prompt_eval_count ?? null,
        outputTokens: final?.eval_count ?? null,
        firstTokenMs: firstTokenAt === null ? null : firstTokenAt - start,
        totalMs: end - start,
        tokensPerSecond: tokensPerSecond(final?.eval_count ?? null, evalMs),
        cancelled,
      };
    };
    if (req.signal.aborted) return finish(true);

    const { ctl, release } = this.track(req.signal);
    const watch = new GenerationWatch(req, () => ctl.abort());
    const guard = guardedFetch(ctl.signal);
    const ollama = new Ollama({ host: this.host, fetch: guard.fetch });
    try {
      const stream = await ollama.chat({
        model: req.model,
        messages: [{ role: 'system', content: req.system }, { role: 'user', content: req.user }],
        stream: true,
        // Ollama's own default context (2048-4096) would silently cut a prompt fitted to a larger window.
        options: { num_predict: req.maxTokens, ...(req.contextTokens ? { num_ctx: req.contextTokens } : {}) },
      });
      for await (const part of stream) {
        const token = part.message?.content ?? '';
        const thinking = part.message?.thinking ?? '';
        // A thinking model is alive while it thinks: that feeds the watchdog, but only content is shown. Empty
        // parts are not progress, so a server that sends nothing but those still times out.
        if ((token !== '' || thinking !== '') && !watch.progress(token.length + thinking.length)) break;
        if (token !== '') {
          firstTokenAt ??= performance.now();
          text += token;
          req.onToken(token);
        }
        if (part.done) final = part;
      }
      if (watch.expired) throw watch.error(req.model);
      return finish(false);
    } catch (err) {
      if (watch.expired) throw watch.error(req.model);
      if (req.signal.aborted || this.closed) return finish(true);
      throw this.toLlmError(err, { op: 'chat', model: req.model, responded: guard.responded, firstToken: firstTokenAt !== null });
    } finally {
      watch.stop();
      release();
    }
  }

  /** Stops every request still running; generate() calls resolve as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const ctl of this.inFlight) ctl.abort();
    this.inFlight.clear();
  }

  private async metadata<T>(model: string | null, call: (o: Ollama) => Promise<T>): Promise<T> {
    const deadline = AbortSignal.timeout(this.metadataTimeoutMs);
    const guard = guardedFetch(deadline);
    try {
      return await call(new Ollama({ host: this.host, fetch: guard.fetch }));
    } catch (err) {
      // A server that accepts the connection and then says nothing is busy or hung, not unreachable.
      if (deadline.aborted) throw this.timedOut(model, err);
      throw this.toLlmError(err, { op: 'metadata', model, responded: guard.responded, firstToken: false });
    }
  }

  private timedOut(model: string | null, cause: unknown): LlmError {
    const seconds = Math.round(this.metadataTimeoutMs / 100) / 10;
    const what = model ? `looking up the model "${model}"` : 'listing its models';
    return new LlmError('server-timeout', `Ollama at ${this.host} did not answer within ${seconds} s (${what}).`,
      'Ollama may be busy loading a model: try again in a moment; if it keeps happening, check the Ollama server log or restart it with `ollama serve`.',
      { cause, params: { host: this.host, seconds, ...(model ? { model } : {}) } });
  }

  /** One controller per request, aborted by the caller's signal and by close(); release() when done. */
  private track(signal?: AbortSignal): { ctl: AbortController; release(): void } {
    const ctl = new AbortController();
    const abort = () => ctl.abort();
    signal?.addEventListener('abort', abort, { once: true });
    this.inFlight.add(ctl);
    return {
      ctl,
      release: () => {
        signal?.removeEventListener('abort', abort);
        this.inFlight.delete(ctl);
      },
    };
  }

  private noModelChosen(): LlmError {
    return new LlmError('model-missing', 'No Ollama model is chosen for answers.',
      'Pick an installed model in Settings, or install one with `ollama pull llama3.2`.', { params: { model: '' } });
  }

  private toLlmError(err: unknown, at: Progress): LlmError {
    if (err instanceof LlmError) return err;
    const e = (err ?? {}) as { name?: string; message?: string; status_code?: number; cause?: { code?: string; message?: string } };
    const detail = e.message ?? String(err);
    const host = this.host;
    if (err instanceof ReplyTooLargeError) {
      const size = `${Math.round(err.limitBytes / (1 << 20))} MB`;
      return new LlmError('reply-too-large',
        `The server at ${host} sent a ${err.what === 'line' ? 'stream line' : 'reply'} of more than ${size}; Ollama's are far smaller, so the answer was stopped.`,
        'Check that the Ollama host in Settings points at Ollama itself, not another server or proxy.', { cause: err, params: { host, size } });
    }
    if (err instanceof MalformedLineError || e.name === 'SyntaxError') {
      return new LlmError('malformed-stream', `The server at ${host} sent a reply that is not Ollama's JSON.`,
        'Check that the Ollama host in Settings points at Ollama, and update Ollama to a current version.', { cause: err, params: { host } });
    }
    if (e.name === 'ResponseError' && typeof e.status_code === 'number') {
      const status = e.status_code;
      if (status === 404 && at.model && /not found/i.test(detail)) return this.modelMissing(at.model, err);
      // Ollama itself asks for no credentials: a 401/403 comes from a proxy or another server on that address.
      const action = status === 401 || status === 403
        ? 'Ollama itself needs no password, so a proxy or another server refused the request: check the Ollama host in Settings and that proxy\'s credentials.'
        : 'Check the Ollama server log, then try again.';
      return new LlmError('http-error', `Ollama at ${host} answered HTTP ${status}: ${detail}`, action,
        { cause: err, params: { host, status, detail } });
    }
    if (!at.responded) {
      const why = e.cause?.code ?? e.cause?.message ?? detail;
      return new LlmError('server-unreachable', `Ollama is not reachable at ${host} (${why}).`,
        'Start Ollama with `ollama serve`, or correct the Ollama host in Settings.', { cause: err, params: { host, reason: why } });
    }
    // The client turns an {"error": ...} line into a plain Error; before any token that is how Ollama reports a
    // model that failed to load (out of memory, unsupported file).
    const plainServerError = e.name === 'Error' && !e.cause && !/did not receive done/i.test(detail);
    if (plainServerError && at.op === 'pull') {
      if (/does not exist|not found/i.test(detail)) {
        return new LlmError('model-missing', `Ollama could not download "${at.model}": ${detail}`,
          'Check the model name at https://ollama.com/library and try again.', { cause: err });
      }
      return new LlmError('http-error', `Ollama could not download "${at.model}": ${detail}`,
        'Check the network and the Ollama server log, then try again.', { cause: err });
    }
    if (plainServerError && !at.firstToken) {
      if (at.model && /not found/i.test(detail)) return this.modelMissing(at.model, err);
      return new LlmError('load-failed', `Ollama could not run "${at.model}": ${detail}`,
        'Check that the model fits in memory (try a smaller one), or see the Ollama server log.', { cause: err, params: { model: at.model ?? '', detail } });
    }
    // The same {"error": ...} line after tokens: Ollama itself stopped the answer (its runner failed mid-way).
    if (plainServerError) {
      return new LlmError('server-stopped-answer', `Ollama stopped the answer with an error: ${detail}`,
        'See the Ollama server log (often memory for a long context: try a smaller model or context), then ask again.', { cause: err, params: { detail } });
    }
    return new LlmError('stream-broken', `The connection to Ollama broke while the answer was streaming (${detail}).`,
      'Try again; if it keeps happening, restart Ollama with `ollama serve`.', { cause: err });
  }

  private modelMissing(model: string, cause: unknown): LlmError {
    return new LlmError('model-missing', `The model "${model}" is not installed in Ollama.`,
      `Install it with \`ollama pull ${model}\`, or pick an installed model in Settings.`, { cause, params: { model } });
  }
}

export function createOllamaClient(options: OllamaClientOptions = {}): OllamaClient {
  return new OllamaClient(options);
}
