// Questions to answers: search, then the LLM backend the settings name, streamed as events, cancellable, and
// kept in history whatever happened (an unreachable LLM still leaves the question and its sources).
import type { AnswerResult, AppError, AskRequest, ComponentState, EventName, HistoryEntry, LlmBackend, LocalRagEvents } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import { EmbeddedClient, OllamaClient, generateAnswer, LlmError, type LlmBackendClient } from '../answer/index.js';
import type { Db } from '../store/db.js';
import type { Searches } from './searches.js';

type Emit = <E extends EventName>(event: E, payload: LocalRagEvents[E]) => void;

export class Answers {
  private clients = new Map<string, LlmBackendClient>();
  private running = new Map<string, AbortController>();

  constructor(
    private readonly db: Db,
    private readonly searches: Searches,
    private readonly getSettings: () => Settings,
    private readonly emit: Emit,
  ) {}

  /** One client per backend and host/path, created on first use and reused (the GGUF model loads once). */
  private client(s: Settings): LlmBackendClient {
    const key = s.llmBackend === 'ollama' ? `ollama:${s.ollamaHost}` : `embedded:${s.embeddedModelPath}`;
    let c = this.clients.get(key);
    if (!c) {
      c = s.llmBackend === 'ollama' ? new OllamaClient({ host: s.ollamaHost }) : new EmbeddedClient({ modelPath: s.embeddedModelPath });
      this.clients.set(key, c);
    }
    return c;
  }

  private modelName(s: Settings): string {
    return s.llmBackend === 'ollama' ? s.ollamaModel : s.embeddedModelPath;
  }

  /** `signal` is the caller's (its window or connection closing cancels the answer like the Stop button). */
  async ask(req: AskRequest, signal?: AbortSignal): Promise<AnswerResult> {
    const s = this.getSettings();
    const controller = new AbortController();
    if (signal?.aborted) controller.abort();
    else signal?.addEventListener('abort', () => controller.abort(), { once: true });
    this.running.set(req.requestId, controller);
    this.db.prepare('INSERT OR REPLACE INTO history(request_id, question, asked_at, status) VALUES (?, ?, ?, ?)').run(req.requestId, req.question, new Date().toISOString(), 'running');
    try {
      const search = await this.searches.search({ question: req.question, params: req.params });
      for (const timing of search.timings) this.emit('onStageTiming', { requestId: req.requestId, timing });
      const result = await generateAnswer({
        requestId: req.requestId, question: req.question, search, client: this.client(s), model: this.modelName(s),
        settings: s, signal: controller.signal,
        onToken: (token) => this.emit('onAnswerToken', { requestId: req.requestId, token }),
        onTiming: (timing) => this.emit('onStageTiming', { requestId: req.requestId, timing }),
      });
      this.db.prepare('UPDATE history SET status = ?, answer = ?, result = ? WHERE request_id = ?').run(result.status, result.text, JSON.stringify(result), req.requestId);
      this.emit('onAnswerDone', result);
      return result;
    } catch (err) {
      this.db.prepare('UPDATE history SET status = ?, answer = ? WHERE request_id = ?').run('unavailable', `error: ${(err as Error).message}`, req.requestId);
      throw err;
    } finally {
      this.running.delete(req.requestId);
    }
  }

  cancel(requestId: string): boolean {
    const c = this.running.get(requestId);
    c?.abort();
    return Boolean(c);
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  history(limit: number): HistoryEntry[] {
    const rows = this.db.prepare('SELECT request_id, question, asked_at, status, answer FROM history ORDER BY asked_at DESC LIMIT ?').all(limit) as { request_id: string; question: string; asked_at: string; status: string; answer: string }[];
    return rows.map((r) => ({ requestId: r.request_id, question: r.question, askedAt: r.asked_at, status: r.status as HistoryEntry['status'], answer: r.answer }));
  }

  async listModels(): Promise<{ backend: LlmBackend; models: string[]; error?: AppError }> {
    const s = this.getSettings();
    try {
      return { backend: s.llmBackend, models: await this.client(s).listModels() };
    } catch (err) {
      return { backend: s.llmBackend, models: [], error: toAppError(err) };
    }
  }

  async llmState(): Promise<ComponentState & { backend: LlmBackend; model: string | null; installed?: string[] }> {
    const s = this.getSettings();
    const base = { backend: s.llmBackend, model: this.modelName(s) || null };
    if (!base.model) {
      const what = s.llmBackend === 'ollama' ? 'an Ollama model' : 'a GGUF file';
      return { ...base, status: 'unavailable', error: { code: 'llm-not-chosen', message: `No LLM chosen yet: pick ${what}.`, action: 'Settings > LLM.' } };
    }
    if (s.llmBackend === 'embedded') return { ...base, status: 'ok' };
    const listed = await this.listModels();
    if (listed.error) return { ...base, status: 'unavailable', error: listed.error };
    if (!listed.models.some((m) => m === base.model || m === `${base.model}:latest`)) {
      return { ...base, installed: listed.models, status: 'model-missing', error: { code: 'model-missing', message: `Ollama has no model "${base.model}".`, action: `Install it with \`ollama pull ${base.model}\`.` } };
    }
    return { ...base, installed: listed.models, status: 'ok' };
  }

  async resetClients(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((c) => c.close()));
  }

  async close(): Promise<void> {
    await this.resetClients();
  }
}

function toAppError(err: unknown): AppError {
  if (err instanceof LlmError) return err.appError;
  return { code: 'llm-error', message: (err as Error).message };
}
