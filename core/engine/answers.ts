// Questions to answers, in conversations: a follow-up is made standalone, searched, then answered by the LLM backend
// the settings name, streamed as events, cancellable, and kept in history whatever happened (an unreachable LLM
// still leaves the question and its sources; a crash is ended as failed at the next start).
import { randomUUID } from 'node:crypto';
import type {
  AnswerResult, AppError, AskRequest, ComponentState, Conversation, ConversationDetail, ConversationExport, EventName,
  HistoryEntry, HistoryState, LlmBackend, LocalRagEvents, SearchResult, StageTiming,
} from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import { EmbeddedClient, OllamaClient, generateAnswer, LlmError, type LlmBackendClient } from '../answer/index.js';
import { conversationMarkdown } from '../conversation/markdown.js';
import { toStandalone, type PriorTurn, type Standalone } from '../conversation/standalone.js';
import {
  createConversation, deleteConversation, getConversation, listConversations, renameConversation, titleFrom, touchConversation,
} from '../store/conversations.js';
import type { Db } from '../store/db.js';
import { counts } from '../store/documents.js';
import { finishAnswer, historyEntries, setStandalone, startAnswer } from '../store/history.js';
import { EngineError } from './library.js';
import { Operations } from './operations.js';
import { joinTimings, type Searches } from './searches.js';
import { stageNote, withNotes } from '../contract/stage-notes.js';

type Emit = <E extends EventName>(event: E, payload: LocalRagEvents[E]) => void;

/** A follow-up waits for its rewrite before retrieval starts, so the rewrite gets at most this long. */
const REWRITE_TIMEOUT_MS = 20_000;

const HISTORY_END: Record<AnswerResult['status'], Exclude<HistoryState, 'running'>> = { ok: 'done', cancelled: 'cancelled', unavailable: 'failed' };

function conversationNotFound(id: string): EngineError {
  return new EngineError({
    code: 'conversation-not-found', message: 'That conversation no longer exists (it may have been deleted).',
    action: 'Start a new chat.', params: { id },
  });
}

export class Answers {
  private clients = new Map<string, LlmBackendClient>();
  /** Answers being written, by request id (cancelled by id, by their caller's signal, or when the engine closes). */
  private readonly running = new Operations();

  constructor(
    private readonly db: Db,
    private readonly searches: Searches,
    private readonly getSettings: () => Settings,
    private readonly emit: Emit,
    /** Where GGUF files are offered from for the embedded backend (listLlmModels). */
    private readonly modelsDir?: string,
  ) {}

  /** One client per backend and host/path, created on first use and reused (the GGUF model loads once). */
  private client(s: Settings): LlmBackendClient {
    const key = s.llmBackend === 'ollama' ? `ollama:${s.ollamaHost}` : `embedded:${s.embeddedModelPath}`;
    let c = this.clients.get(key);
    if (!c) {
      c = s.llmBackend === 'ollama' ? new OllamaClient({ host: s.ollamaHost }) : new EmbeddedClient({ modelPath: s.embeddedModelPath, modelsDir: this.modelsDir });
      this.clients.set(key, c);
    }
    return c;
  }

  private modelName(s: Settings): string {
    return s.llmBackend === 'ollama' ? s.ollamaModel : s.embeddedModelPath;
  }

  /** The earlier questions of a conversation, for rewriting a follow-up; throws when the conversation is gone. */
  private priorTurns(conversationId: string | undefined): PriorTurn[] {
    if (conversationId === undefined) return [];
    const c = getConversation(this.db, conversationId);
    if (!c) throw conversationNotFound(conversationId);
    return c.turns.map((t) => ({ question: t.question, standaloneQuestion: t.standaloneQuestion, answer: t.answer }));
  }

  /** The follow-up made standalone, and its timing; the first question of a conversation is used as it is. */
  private async standalone(question: string, prior: PriorTurn[], s: Settings, signal: AbortSignal): Promise<{ standalone: Standalone; timing: StageTiming | null }> {
    const t0 = performance.now();
    const model = this.modelName(s);
    const llm = prior.length && model ? { client: this.client(s), model, timeoutMs: Math.min(s.llmFirstTokenTimeoutMs, REWRITE_TIMEOUT_MS), signal } : null;
    const standalone = await toStandalone(question, prior, llm);
    if (standalone.method === 'first-question') return { standalone, timing: null };
    const timing: StageTiming = {
      stage: 'rewrite', ms: performance.now() - t0, startMs: 0,
      ...(llm ? { provider: s.llmBackend, model } : {}),
      ...withNotes(standalone.llmError ? stageNote('note-rewrite-llm-error', { code: standalone.llmError.code })
        : stageNote(standalone.method === 'llm' ? 'note-rewritten-by-llm' : 'note-key-terms-added')),
    };
    return { standalone, timing };
  }

  /** `signal` is the caller's (its window or connection closing cancels the answer like the Stop button). */
  async ask(req: AskRequest, signal?: AbortSignal): Promise<AnswerResult> {
    const s = this.getSettings();
    const prior = this.priorTurns(req.conversationId);
    const conversationId = req.conversationId ?? randomUUID();
    const askedAt = new Date().toISOString();
    this.db.transaction(() => {
      if (req.conversationId === undefined) createConversation(this.db, conversationId, titleFrom(req.question), askedAt);
      else touchConversation(this.db, conversationId, askedAt);
      startAnswer(this.db, {
        requestId: req.requestId, conversationId, question: req.question, askedAt,
        standaloneQuestion: req.question, standaloneMethod: prior.length ? 'key-terms' : 'first-question',
      });
    })();
    return this.running.run(req.requestId, signal, (cancel) => this.write(req, s, prior, conversationId, cancel));
  }

  /** The answer itself, after its history row is started: the row always ends with the outcome. */
  private async write(req: AskRequest, s: Settings, prior: PriorTurn[], conversationId: string, signal: AbortSignal): Promise<AnswerResult> {
    try {
      const { standalone, timing } = await this.standalone(req.question, prior, s, signal);
      setStandalone(this.db, req.requestId, standalone.question, standalone.method);
      const found = await this.searches.search({ question: standalone.question, params: req.params });
      const search = timing ? { ...found, timings: joinTimings([timing], found.timings) } : found;
      for (const t of search.timings) this.emit('onStageTiming', { requestId: req.requestId, timing: t });
      const sources = (dropped: number[] | null) => this.emit('onAnswerSources', {
        requestId: req.requestId, conversationId, question: req.question, standaloneQuestion: standalone.question,
        standaloneMethod: standalone.method, sources: search.top, dropped,
      });
      sources(null);
      const answered = search.top.length === 0 ? this.nothingToAnswer(req, search) : await generateAnswer({
        requestId: req.requestId, question: standalone.question, search, client: this.client(s), model: this.modelName(s),
        settings: s, signal,
        onToken: (token) => this.emit('onAnswerToken', { requestId: req.requestId, token }),
        onTiming: (t) => this.emit('onStageTiming', { requestId: req.requestId, timing: t }),
        onPromptFitted: (_included, dropped) => sources(dropped),
      });
      const result: AnswerResult = {
        ...answered, question: req.question, conversationId, standaloneQuestion: standalone.question, standaloneMethod: standalone.method,
      };
      finishAnswer(this.db, req.requestId, { status: HISTORY_END[result.status], answer: result.text, result, ...(result.error ? { error: result.error } : {}) });
      this.emit('onAnswerDone', result);
      return result;
    } catch (err) {
      finishAnswer(this.db, req.requestId, { status: 'failed', answer: '', result: null, error: failureOf(err) });
      throw err;
    }
  }

  /** No candidates at all: the LLM is not asked (it could only guess), and the result says why. */
  private nothingToAnswer(req: AskRequest, search: SearchResult): AnswerResult {
    const error: AppError = counts(this.db).chunks === 0
      ? { code: 'store-empty', message: 'Nothing is indexed yet, so there is nothing to answer from.', action: 'Add a folder to index first (`localrag index <folder>`, or Library > Add folder in the app).' }
      : { code: 'no-passages', message: 'No passage matched the question, so there is nothing to answer from.', action: 'Ask again with words your documents use.' };
    return {
      requestId: req.requestId, question: req.question, status: 'unavailable', text: '', citations: [], sources: [], dropped: [],
      search, timings: search.timings, llm: null, error,
    };
  }

  cancel(requestId: string): boolean {
    return this.running.cancel(requestId);
  }

  cancelAll(): void {
    this.running.cancelAll();
  }

  history(limit: number): HistoryEntry[] {
    return historyEntries(this.db, limit);
  }

  listConversations(query: string | undefined, limit: number): Conversation[] {
    return listConversations(this.db, query, limit);
  }

  getConversation(id: string): ConversationDetail {
    const c = getConversation(this.db, id);
    if (!c) throw conversationNotFound(id);
    return c;
  }

  renameConversation(id: string, title: string): Conversation {
    const c = renameConversation(this.db, id, title);
    if (!c) throw conversationNotFound(id);
    return c;
  }

  deleteConversation(id: string): boolean {
    return deleteConversation(this.db, id);
  }

  exportConversation(id: string): ConversationExport {
    return conversationMarkdown(this.getConversation(id), new Date().toISOString(), this.getSettings().language);
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

/** What a failed ask records: the error's own AppError when it carries one. */
function failureOf(err: unknown): AppError {
  const own = (err as { appError?: AppError } | null)?.appError;
  if (own) return own;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'answer-failed', message: `The question could not be answered: ${message}`, action: 'Try again; if it keeps failing, see the log.', params: { reason: message } };
}
