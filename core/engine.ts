// The engine: every pipeline stage joined behind the one API contract. Hosts (CLI, serve mode, Electron's engine
// process, tests) create one, call its methods, subscribe to its events, and close it.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type {
  AnswerResult, EngineApi, EngineStatus, EventName, FileStatus, HistoryEntry, IndexSummary, LocalRagEvents,
  ModelStatus, Passage, SearchRequest, SearchResult, RefuseRequest, AskRequest, EvalReport, LlmBackend, AppError,
  VectorCheckReport,
} from './contract/api.js';
import type { Conversation, ConversationDetail, ConversationExport } from './contract/api.js';
import type { BrowseRequest, FolderListing } from './contract/api.js';
import { browseFolder } from './browse/folder-listing.js';
import type { Candidate, EvalRequest, EvalRunStarted } from './contract/api.js';
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from './contract/settings.js';
import { EngineError, Library } from './engine/library.js';
import { Operations } from './engine/operations.js';
import { ModelRuntime } from './engine/runtime.js';
import { Answers } from './engine/answers.js';
import { Searches } from './engine/searches.js';
import { Evaluations } from './engine/evaluations.js';
import { executionReport } from './embed/execution-report.js';
import { downloadModel, importModel, listModels, modelStatus } from './models/index.js';
import { getMeta, openDb, setMeta, type Db } from './store/db.js';
import { counts, getPassages, listFiles } from './store/documents.js';
import { parseFile } from './ingest/parse/index.js';
import { checkVectors } from './store/doctor.js';
import { acquireWriterLock } from './store/writer-lock.js';
import { repairInterruptedAnswers } from './store/history.js';
import { storeReadOnly } from './store/store-errors.js';
import type { StoreAccess } from './contract/vocabulary.js';

export { EngineError } from './engine/library.js';

/**
 * A folder or collection named by an API caller (a window, a serve-mode client) must be a full path: a relative one
 * would be read against the engine's working directory, which the caller cannot see (`../..` added and indexed `/`).
 */
function fullPath(path: string): string {
  if (isAbsolute(path)) return path;
  throw new EngineError({
    code: 'folder-not-absolute', message: `"${path.slice(0, 300)}" is not a full path.`,
    action: 'Give the folder\'s full path, starting at / or at a drive (C:\\), or pick it with Add folder.', params: { path: path.slice(0, 300) },
  });
}

export interface EngineOptions {
  storeDir: string;
  modelsDir: string;
  /** Applied on top of the saved settings for this engine's lifetime only (CLI flags); not persisted. */
  overrides?: Partial<Settings>;
  /** Watch folders for changes (the app does; one-shot CLI commands don't). */
  watch?: boolean;
  maxFileBytes?: number;
  log?: (line: string) => void;
  /** How the store is opened (default 'create'); a read-only engine never creates, migrates or changes it. */
  access?: StoreAccess;
}

/** Larger documents are not sent whole to the passage view; the passage alone is shown. */
const MAX_CONTEXT_DOCUMENT_CHARS = 2_000_000;

type Listener = <E extends EventName>(event: E, payload: LocalRagEvents[E]) => void;

const SESSION_SETTINGS: (keyof Settings)[] = ['embedderModel', 'executionProvider', 'preferQuantized', 'embedBatchSize'];
const CROSS_SETTINGS: (keyof Settings)[] = ['crossEncoderModel', 'executionProvider', 'preferQuantized', 'crossBatchSize', 'crossMaxLength'];

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const engine = new Engine(opts);
  await engine.start();
  return engine;
}

export class Engine implements EngineApi {
  readonly db: Db;
  private settings: Settings;
  private readonly listeners = new Set<Listener>();
  readonly runtime: ModelRuntime;
  readonly library: Library;
  private readonly searches: Searches;
  private readonly answers: Answers;
  private readonly evaluations: Evaluations;
  /** Long operations that are neither answers nor index runs (model downloads), cancellable by id. */
  private readonly operations = new Operations();
  private readonly log: (line: string) => void;
  /** Opened for reading only (a read command): every method that would write refuses instead. */
  readonly readOnly: boolean;

  constructor(private readonly opts: EngineOptions) {
    this.log = opts.log ?? (() => {});
    const access = opts.access ?? 'create';
    this.readOnly = access === 'read' || access === 'read-or-empty';
    this.db = openDb(opts.storeDir, { log: this.log, access });
    // Rows a killed process left 'running' end as failed, so every question in history has an outcome (a reader
    // leaves them to the next writer).
    if (!this.readOnly) repairInterruptedAnswers(this.db);
    const saved = getMeta(this.db, 'settings');
    this.settings = mergeSettings(DEFAULT_SETTINGS, { ...(saved ? loadSaved(saved) : {}), ...opts.overrides });
    const settings = () => this.settings;
    this.runtime = new ModelRuntime(this.db, opts.storeDir, opts.modelsDir, settings, this.log);
    this.library = new Library(this.db, this.runtime, settings, (p) => this.emit('onIndexProgress', p), this.log, opts.maxFileBytes,
      { store: opts.storeDir, models: opts.modelsDir });
    this.searches = new Searches(this.db, this.runtime, opts.modelsDir, settings, this.log);
    this.answers = new Answers(this.db, this.searches, settings, (e, p) => this.emit(e, p), opts.modelsDir);
    this.evaluations = new Evaluations({
      library: this, storeDir: opts.storeDir, log: this.log, emit: (p) => this.emit('onEvalProgress', p),
      openEngine: (storeDir, overrides) => createEngine({ storeDir, modelsDir: opts.modelsDir, overrides, log: this.log }),
    });
  }

  async start(): Promise<void> {
    if (!this.opts.watch) return;
    await this.library.restartWatcher();
    // The watcher reports changes from now on; what changed while the app was closed, and a run that a crash or a
    // quit cut short, is caught up by one incremental run in the background (unchanged files cost a stat each).
    if (!this.readOnly && this.library.folders().length > 0) {
      this.library.index().catch((err: unknown) => this.logFailure('catching up with the folders', err));
    }
  }

  private emit<E extends EventName>(event: E, payload: LocalRagEvents[E]): void {
    for (const l of this.listeners) l(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getStatus(): Promise<EngineStatus> {
    const n = counts(this.db);
    return {
      version: '0.1.0', storeDir: this.opts.storeDir, modelsDir: this.opts.modelsDir, folders: this.library.folders(),
      documents: n.documents, chunks: n.chunks, vectors: n.vectors, models: this.models(),
      dense: await this.runtime.denseState(), cross: await this.searches.crossState(),
      llm: await this.answers.llmState(), indexing: this.library.progress,
      vectorState: await this.runtime.vectorState(), chunksWithoutVectors: n.chunks - n.vectors,
      execution: await this.execution(), installed: listModels(this.opts.modelsDir),
    };
  }

  private async execution(): Promise<NonNullable<EngineStatus['execution']>> {
    const out: NonNullable<EngineStatus['execution']> = {};
    const requested = this.settings.executionProvider;
    const embedder = await this.runtime.embedderNow();
    if (embedder.ok) out.embedder = executionReport(this.settings.embedderModel, embedder.value.session, requested);
    const cross = await this.searches.crossEncoder();
    if (cross) out.crossEncoder = executionReport(this.settings.crossEncoderModel, cross.session, requested, cross.batchTokens);
    return out;
  }

  private models(): ModelStatus[] {
    const s = this.settings;
    return [modelStatus(this.opts.modelsDir, s.embedderModel, 'embedder'), modelStatus(this.opts.modelsDir, s.crossEncoderModel, 'cross-encoder')];
  }

  async getSettings(): Promise<Settings> {
    return this.settings;
  }

  /** Validates, persists and reloads only the sessions a change affects. */
  async updateSettings(change: Partial<Settings>): Promise<Settings> {
    this.writable('saving settings');
    return this.applySettings(change, true);
  }

  /** Like updateSettings for this engine's lifetime only (CLI flags): nothing is saved. */
  overrideSettings(change: Partial<Settings>): Promise<Settings> {
    return this.applySettings(change, false);
  }

  private async applySettings(change: Partial<Settings>, persist: boolean): Promise<Settings> {
    const before = this.settings;
    const next = mergeSettings(before, change);
    if (persist) {
      const saved = getMeta(this.db, 'settings');
      setMeta(this.db, 'settings', JSON.stringify(mergeSettings(mergeSettings(DEFAULT_SETTINGS, saved ? loadSaved(saved) : {}), change)));
    }
    this.settings = next;
    if (SESSION_SETTINGS.some((k) => before[k] !== next[k])) await this.runtime.reset();
    if (CROSS_SETTINGS.some((k) => before[k] !== next[k])) await this.searches.resetCross();
    if (before.llmBackend !== next.llmBackend || before.ollamaHost !== next.ollamaHost || before.embeddedModelPath !== next.embeddedModelPath) await this.answers.resetClients();
    return next;
  }

  async addFolder(req: { path: string }): Promise<EngineStatus> {
    this.writable('adding a folder');
    const folder = this.library.add(fullPath(req.path));
    await this.library.restartWatcher();
    this.library.index([folder]).catch((err) => this.logFailure(`indexing ${folder}`, err));
    return this.getStatus();
  }

  async removeFolder(req: { path: string }): Promise<EngineStatus> {
    this.writable('removing a folder');
    await this.library.remove(fullPath(req.path));
    return this.getStatus();
  }

  async reindex(req: { path?: string }, signal?: AbortSignal): Promise<IndexSummary> {
    this.writable('indexing');
    return this.library.index(req.path ? [this.library.add(fullPath(req.path))] : undefined, signal);
  }

  async listFiles(req: { state?: FileStatus['state'] }): Promise<FileStatus[]> {
    return listFiles(this.db, req.state);
  }

  search(req: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
    return this.searches.search(req, signal);
  }

  /** Retrieval alone, in retrieval order (no reranking, nothing cached): the evaluation's deep tail. */
  async retrieveCandidates(question: string, retrieveK: number): Promise<Candidate[]> {
    return (await this.searches.retrieve(question, retrieveK)).candidates;
  }

  /** Fingerprints of the models searches use (loads them if needed); the evaluation keys its score cache by them. */
  modelFingerprints(): Promise<{ embedder: string | null; crossEncoder: string | null }> {
    return this.searches.fingerprints();
  }

  refuse(req: RefuseRequest): Promise<SearchResult> {
    return this.searches.refuse(req);
  }

  async ask(req: AskRequest, signal?: AbortSignal): Promise<AnswerResult> {
    this.writable('asking (each answer is kept in the chat history)');
    return this.answers.ask(req, signal);
  }

  /** Cancels by id: an answer (its requestId), an index run (its runId) or a model download (the model id). */
  async cancel(req: { requestId: string }): Promise<{ cancelled: boolean }> {
    const id = req.requestId;
    return { cancelled: this.answers.cancel(id) || this.library.cancel(id) || this.operations.cancel(id) };
  }

  async getPassage(req: { chunkId: number }): Promise<Passage & { documentText?: string }> {
    const [p] = getPassages(this.db, [req.chunkId]);
    if (!p) throw new EngineError({ code: 'passage-not-found', message: `No passage ${req.chunkId} in the index (it may have been re-indexed).`, action: 'Ask the question again.' });
    // The document's text around the passage, for context; only when the file still holds exactly what was indexed.
    const parsed = await parseFile(p.path).catch(() => null);
    const text = parsed?.ok ? parsed.doc.text : null;
    const fits = text !== null && text.length <= MAX_CONTEXT_DOCUMENT_CHARS && text.slice(p.charStart, p.charEnd) === p.text;
    return fits ? { ...p, documentText: text } : p;
  }

  async history(req: { limit?: number }): Promise<HistoryEntry[]> {
    return this.answers.history(req.limit ?? 50);
  }

  listLlmModels(): Promise<{ backend: LlmBackend; models: string[]; error?: AppError }> {
    return this.answers.listModels();
  }

  async importModel(req: { role: ModelStatus['role']; folder: string; id?: string }): Promise<ModelStatus> {
    this.writable('importing a model');
    if (req.role === 'llm') throw new EngineError({ code: 'unsupported', message: 'LLMs are not imported: set an Ollama model or a GGUF path in Settings.' });
    const status = await importModel({ modelsDir: this.opts.modelsDir, folder: fullPath(req.folder), role: req.role, id: req.id });
    await this.afterModelArrived(req.role);
    return status;
  }

  async downloadModel(req: { id: string }, signal?: AbortSignal): Promise<ModelStatus> {
    this.writable('downloading a model');
    const status = await this.operations.run(req.id, signal, (s) => downloadModel({
      modelsDir: this.opts.modelsDir, id: req.id, hubHost: this.settings.hubHost,
      onProgress: (p) => this.emit('onDownloadProgress', p), signal: s,
    }));
    await this.afterModelArrived(status.role);
    return status;
  }

  /** A model that arrives is used at once: sessions reload and, for an embedder, vectors are added. */
  private async afterModelArrived(role: ModelStatus['role']): Promise<void> {
    if (role === 'embedder') {
      await this.runtime.reset();
      this.library.index().catch((err) => this.logFailure('indexing after the model arrived', err));
    } else await this.searches.resetCross();
  }

  async getEvalReport(req: { collection?: string }): Promise<EvalReport | null> {
    const file = join(this.opts.storeDir, 'eval', 'report.json');
    if (!existsSync(file)) return null;
    const report = JSON.parse(readFileSync(file, 'utf8')) as EvalReport;
    return !req.collection || report.collection === req.collection ? report : null;
  }

  /** `localrag doctor`: holds the writer lock while it repairs, so no index run changes vectors meanwhile. */
  async checkVectors(req: { checkOnly?: boolean }): Promise<VectorCheckReport> {
    const run = () => checkVectors(this.db, this.opts.storeDir, { repair: !req.checkOnly });
    if (req.checkOnly) return run();
    this.writable('repairing the vector index');
    const lock = await acquireWriterLock(this.db, { purpose: 'checking vectors', onWait: () => this.log('another localrag is indexing this store; waiting…') });
    try {
      const report = run();
      await this.runtime.reset(); // an index this engine holds reopens from the repaired files
      return report;
    } finally {
      lock.release();
    }
  }

  async listConversations(req: { query?: string; limit?: number }): Promise<Conversation[]> {
    return this.answers.listConversations(req.query, req.limit ?? 200);
  }

  async getConversation(req: { id: string }): Promise<ConversationDetail> {
    return this.answers.getConversation(req.id);
  }

  async renameConversation(req: { id: string; title: string }): Promise<Conversation> {
    this.writable('renaming a chat');
    return this.answers.renameConversation(req.id, req.title);
  }

  async deleteConversation(req: { id: string }): Promise<{ deleted: boolean }> {
    this.writable('deleting a chat');
    return { deleted: this.answers.deleteConversation(req.id) };
  }

  async exportConversation(req: { id: string }): Promise<ConversationExport> {
    return this.answers.exportConversation(req.id);
  }

  /** The folder and GGUF pickers of a window without a native dialog (serve mode): starts at the user's home. */
  browseFolder(req: BrowseRequest): Promise<FolderListing> {
    return browseFolder(req, { home: homedir(), modelsDir: this.opts.modelsDir });
  }

  async startEval(req: EvalRequest): Promise<EvalRunStarted> {
    this.writable('running an evaluation');
    return this.evaluations.start({ ...req, source: fullPath(req.source) });
  }

  async cancelEval(req: { runId: string }): Promise<{ cancelled: boolean }> {
    return this.evaluations.cancel(req.runId);
  }

  private writable(what: string): void {
    if (this.readOnly) throw storeReadOnly(what);
  }

  /** A background run that was cancelled (the engine closing) is not a failure worth a log line. */
  private logFailure(what: string, err: unknown): void {
    if ((err as { appError?: { code?: string } }).appError?.code !== 'cancelled') this.log(`${what} failed: ${(err as Error).message}`);
  }

  /** Cancels everything that runs (answers, index runs, downloads, an evaluation) before it waits for any of it. */
  async close(): Promise<void> {
    const evaluating = this.evaluations.close(); // aborts at once; its last question may still need this engine
    this.answers.cancelAll();
    this.operations.cancelAll();
    await evaluating;
    await this.library.close();
    await this.answers.close();
    await this.searches.close();
    await this.runtime.close();
    this.db.close();
  }
}

/** Saved settings from an older version may hold keys or values no longer allowed: keep what still validates. */
function loadSaved(json: string): Partial<Settings> {
  try {
    const saved = JSON.parse(json) as Record<string, unknown>;
    // Saved together, valid together (e.g. chunkTokens 32 with chunkOverlap 4, which neither default allows alone).
    try { mergeSettings(DEFAULT_SETTINGS, saved); return saved as Partial<Settings>; } catch { /* check one by one */ }
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(saved)) {
      try { mergeSettings(DEFAULT_SETTINGS, { [k]: v }); kept[k] = v; } catch { /* dropped: invalid now */ }
    }
    return kept as Partial<Settings>;
  } catch {
    return {};
  }
}
