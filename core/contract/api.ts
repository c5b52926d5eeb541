// The one API contract between the engine and every front end (Electron IPC, HTTP+SSE serve mode, CLI --json).
// Types only plus the method/event name lists: the renderer imports this file and nothing else from core/.
import type { Settings } from './settings.js';
import type { FileState, LlmBackend, ModelRole, Normalisation, RerankMode, VectorIndexKind, VectorState } from './vocabulary.js';
import type { HistoryState, StandaloneMethod } from './vocabulary.js';
import type { BrowseEntryKind, BrowsePlace, BrowseShow } from './vocabulary.js';

export type { Settings } from './settings.js';
export type { FileState, LlmBackend, ModelRole, Normalisation, RerankMode, VectorIndexKind, VectorState } from './vocabulary.js';
export type { HistoryState, StandaloneMethod } from './vocabulary.js';
export type { BrowseEntryKind, BrowsePlace, BrowseShow } from './vocabulary.js';
import type { EvalPhase, RetrievalMode } from './vocabulary.js';
export type { EvalPhase, RetrievalMode } from './vocabulary.js';

/** An error the UI can show: a stable code, one sentence for the user, and what to do next. */
export interface AppError {
  code: string;
  message: string;
  action?: string;
  /** Values named in the message, so the UI can show it in another language from its code. */
  params?: Record<string, string | number>;
}

/** Every stage reports one of these; the pipeline joins them into the latency waterfall. */
export interface StageTiming {
  stage: StageName;
  ms: number;
  /** Offset from the start of the request, for the waterfall. */
  startMs?: number;
  provider?: string;
  model?: string;
  batches?: number;
  tokens?: number;
  /** e.g. 'model missing', 'skipped', 'cached' (English; several joined with '; '). */
  note?: string;
  /** The same notes as codes and params, for the interface's language (core/contract/stage-notes.ts). */
  noteParts?: AppError[];
}

export type StageName =
  | 'embedQuery' | 'faiss' | 'bm25' | 'fuse'
  | 'bi' | 'cross' | 'fusion'
  | 'prompt' | 'llmFirstToken' | 'llmTotal'
  /** A follow-up question rewritten to stand alone (by the LLM, or from the previous question's key terms). */
  | 'rewrite';

// ---------- library / indexing ----------

export interface FileStatus {
  path: string;
  state: FileState;
  /** Why a file was skipped or failed, in the user's words. */
  reason?: string;
  chunks: number;
  bytes: number;
  indexedAt?: string;
  /** The reason as an AppError (stable code, params), for the UI to word in the user's language. */
  problem?: AppError;
  /** A note on an indexed file: decoded from another encoding (with losses), only the first pages of a PDF... */
  note?: AppError;
}

export interface IndexProgress {
  runId: string;
  phase: 'scanning' | 'indexing' | 'embedding' | 'done' | 'error' | 'cancelled';
  filesDone: number;
  filesTotal: number;
  chunksDone: number;
  chunksTotal: number;
  chunksPerSecond: number;
  etaSeconds: number | null;
  currentFile?: string;
  skipped: number;
  error?: AppError;
  /** 0..1 by estimated time (reading files and embedding go at different speeds); 1 when done. */
  fractionDone?: number;
}

export interface IndexSummary {
  runId: string;
  filesSeen: number;
  filesIndexed: number;
  filesUnchanged: number;
  filesRemoved: number;
  filesSkipped: number;
  chunksAdded: number;
  chunksRemoved: number;
  vectorsAdded: number;
  ms: number;
  provider: string | null;
  skipped: FileStatus[];
  /** Set when the embedder is missing: text is indexed and BM25 works, vectors come later. */
  dense: ComponentState;
  /** The run was cancelled: the counts say what was done; the next run resumes from there. */
  cancelled?: boolean;
}

export type ComponentState = { status: 'ok' } | { status: 'model-missing' | 'unavailable'; error: AppError };

// ---------- models ----------

export interface ModelStatus {
  id: string;
  role: ModelRole;
  present: boolean;
  path: string;
  /** Where the weights came from: 'hub', 'imported', 'synthesised (random weights: relevance is meaningless)'. */
  provenance?: string;
  quantized?: boolean;
  howToGet?: string;
  /** The hub commit the files were downloaded at. */
  revision?: string;
  /** The files as verified at download (sha256 of each; source = repo/path it came from). */
  files?: { path: string; size: number; sha256: string; source?: string }[];
}

export interface DownloadProgress {
  modelId: string;
  file: string;
  loaded: number;
  total: number | null;
  done: boolean;
  error?: AppError;
  /** The whole download: bytes so far (resumed = found on disk from an earlier attempt), speed and time left. */
  overall?: { loaded: number; total: number; resumed: number; bytesPerSecond: number | null; etaSeconds: number | null };
  /** Something to tell the user that is not an error (a renamed repo, no int8 file for this CPU). */
  note?: string;
}

// ---------- retrieval and reranking ----------

export interface Passage {
  chunkId: number;
  documentId: number;
  path: string;
  /** 1-based page for PDFs, null elsewhere. */
  page: number | null;
  headingPath: string[];
  charStart: number;
  charEnd: number;
  text: string;
}

export interface Candidate extends Passage {
  /** Cosine of query and stored passage vector; null when no vectors (embedder missing). */
  denseScore: number | null;
  denseRank: number | null;
  bm25Score: number | null;
  bm25Rank: number | null;
  /** Score of the dense+BM25 fusion that produced the retrieval order. */
  retrievalScore: number;
  /** 1-based rank after retrieval. */
  retrievalRank: number;
}

export interface RetrieveResult {
  question: string;
  candidates: Candidate[];
  timings: StageTiming[];
  dense: ComponentState;
}

export interface RerankedCandidate extends Candidate {
  rankBefore: number;
  rankAfter: number;
  biScore: number | null;
  crossScore: number | null;
  biNorm: number | null;
  crossNorm: number | null;
  finalScore: number;
  crossScored: boolean;
}

export interface RerankParams {
  mode: RerankMode;
  alpha: number;
  topN: number;
  finalK: number;
  normalisation: Normalisation;
}

export interface SearchResult extends RerankParams {
  queryId: string;
  question: string;
  /** All K candidates, ordered by rankAfter. */
  candidates: RerankedCandidate[];
  /** The first finalK: what goes to the LLM. */
  top: RerankedCandidate[];
  timings: StageTiming[];
  dense: ComponentState;
  cross: ComponentState;
  provider: string;
  /** Set when the question or most cross-scored passages are in a language the cross-encoder does not cover. */
  crossLanguage?: AppError;
}

// ---------- answers ----------

export interface Citation {
  /** The number as written in the answer, [n]. */
  n: number;
  /** The chunk it points at; null when n matches no passage (flagged, not linked). */
  chunkId: number | null;
  valid: boolean;
}

export interface LlmStats {
  backend: LlmBackend;
  model: string;
  promptTokens: number | null;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  firstTokenMs: number | null;
  totalMs: number | null;
}

export interface AnswerResult {
  requestId: string;
  question: string;
  status: 'ok' | 'cancelled' | 'unavailable';
  text: string;
  citations: Citation[];
  /** The passages the LLM saw, numbered 1..k in this order. */
  sources: RerankedCandidate[];
  /** Passages that did not fit the context window. */
  dropped: number[];
  search: SearchResult;
  timings: StageTiming[];
  llm: LlmStats | null;
  error?: AppError;
  /** The conversation this question belongs to (set by the engine's ask). */
  conversationId?: string;
  /** What retrieval ran on: the question itself, or a follow-up rewritten to stand alone. */
  standaloneQuestion?: string;
  standaloneMethod?: StandaloneMethod;
}

export interface HistoryEntry {
  requestId: string;
  question: string;
  askedAt: string;
  /** 'running' only while the answer is being written; a crash is repaired to 'failed' at the next start. */
  status: HistoryState;
  answer: string;
  conversationId?: string | null;
  standaloneQuestion?: string | null;
  error?: AppError;
}

// ---------- conversations ----------

export interface Conversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  /** How many questions were asked in it. */
  questions: number;
}

export interface ConversationTurn extends HistoryEntry {
  standaloneQuestion: string;
  standaloneMethod: StandaloneMethod;
  /** The whole answer (sources, citations, timings) once it ended; null while running or when it never finished. */
  result: AnswerResult | null;
}

export interface ConversationDetail extends Conversation {
  /** Oldest first. */
  turns: ConversationTurn[];
}

export interface ConversationExport {
  /** A suggested file name, e.g. "wing-flutter.md". */
  fileName: string;
  markdown: string;
}

/** Sent as soon as reranking is done (dropped: null) and again once the prompt is fitted, before the first token. */
export interface AnswerSources {
  requestId: string;
  conversationId: string;
  question: string;
  standaloneQuestion: string;
  standaloneMethod: StandaloneMethod;
  /** The passages for the LLM, numbered 1..k as the answer cites them. */
  sources: RerankedCandidate[];
  /** Numbers in `sources` that did not fit the LLM's context window; null until the prompt is fitted. */
  dropped: number[] | null;
}

// ---------- status ----------

export interface EngineStatus {
  version: string;
  storeDir: string;
  modelsDir: string;
  folders: string[];
  documents: number;
  chunks: number;
  vectors: number;
  models: ModelStatus[];
  dense: ComponentState;
  cross: ComponentState;
  llm: ComponentState & { backend: LlmBackend; model: string | null; installed?: string[] };
  indexing: IndexProgress | null;
  /** Whether the stored vectors belong to the embedder in use: 'stale' until an index run re-embeds them. */
  vectorState?: VectorState;
  /** Chunks without a stored vector yet (while re-embedding: how many are left). */
  chunksWithoutVectors?: number;
  /** Where each loaded model really runs, measured once per session (absent for a model that is not loaded). */
  execution?: { embedder?: ExecutionReport; crossEncoder?: ExecutionReport };
  /** Every model folder in the models folder, for the Settings pickers. */
  installed?: ModelStatus[];
}

// ---------- vector integrity ----------

/** What one side of the comparison found: the saved index against SQLite, vector by vector. */
export interface VectorIndexFindings {
  kind: VectorIndexKind | null;
  indexed: number;
  matched: number;
  stale: number;
  orphans: number;
  duplicates: number;
  missing: number;
  unreadable: boolean;
}

export interface VectorCheckReport {
  ok: boolean;
  checkOnly: boolean;
  dim: number | null;
  storedVectors: number;
  digestsWrong: number;
  found: VectorIndexFindings;
  repaired: boolean;
  after: VectorIndexFindings | null;
  generation: number;
  ms: number;
}

/** What was asked of the execution providers for one model and what it got. */
export interface ExecutionReport {
  model: string;
  /** The ONNX file in use (fp32 on GPU providers, int8 on the CPU when preferred). */
  file: string;
  requested: string;
  provider: string;
  /** Why a tried GPU provider is not running the model (failed to start, failed its first run, slower than the CPU). */
  fallbackReason: string | null;
  /** Milliseconds of the warm probe run per provider that completed it. */
  probeMs?: Record<string, number>;
  /** Share of graph nodes each provider ran during the probe, e.g. { webgpu: 0.9, cpu: 0.1 }. */
  placement?: Record<string, number> | null;
  /** Padded tokens per cross-encoder batch on this provider. */
  batchTokens?: number;
}

// ---------- evaluation ----------

export interface EvalPoint {
  mode: RerankMode;
  topN: number;
  alpha: number;
  ndcg10: number;
  mrr10: number;
  recall100: number;
  map: number;
  p50Ms: number;
  pareto: boolean;
}

export interface EvalReport {
  collection: string;
  queries: number;
  provenance: string[];
  warning?: string;
  points: EvalPoint[];
  current: { mode: RerankMode; topN: number; alpha: number };
  svg?: string;
  /** Where the candidates came from. */
  retrieval?: RetrievalMode;
  /** The models the scores were made with: the fingerprint of what was loaded, null when not installed. */
  models?: EvalModel[];
}

export interface EvalModel {
  role: ModelRole;
  id: string;
  fingerprint: string | null;
  /** The model's folder; null when it is not installed. */
  dir: string | null;
}

/** Starts an evaluation from the app. */
export interface EvalRequest {
  /** A collection folder (SMART, BEIR or TREC) or a labelled-questions .json file, on the engine's machine. */
  source: string;
  /** The whole N x alpha grid (default), or only the current N and alpha. */
  grid?: boolean;
}

export interface EvalRunStarted {
  runId: string;
  collection: string;
  queries: number;
}

/** Progress of an evaluation run; 'done' means getEvalReport now returns its report. */
export interface EvalProgressEvent {
  runId: string;
  phase: EvalPhase;
  done: number;
  total: number;
  error?: AppError;
}

// ---------- browsing this machine's folders (the folder and GGUF pickers where no native dialog exists) ----------

export interface BrowseRequest {
  /** An absolute path: a folder to list, or (to open at a chosen file) a file whose folder is listed. Default: home. */
  path?: string;
  show: BrowseShow;
  /** List names that start with a dot too. */
  hidden?: boolean;
}

export interface FolderEntry {
  name: string;
  /** The folder's path joined with the name (a link's own path, not its target). */
  path: string;
  kind: BrowseEntryKind;
  /** Size in bytes, for files. */
  bytes?: number;
  /** Reached through a symbolic link. */
  link?: boolean;
}

export interface FolderListing {
  /** The folder listed, as its real path (links resolved, so a link back to an ancestor never nests). */
  path: string;
  /** Null at a root. */
  parent: string | null;
  /** Folders first, then files; each by name. */
  entries: FolderEntry[];
  /** Set when the request named a file: the entry to select. */
  selected?: string;
  /** Set when the listing was cut at the entry limit (code `browse-truncated`). */
  note?: AppError;
  /** The file system's roots: `/`, or the drives on Windows. */
  roots: string[];
  /** Common places that exist on this machine. */
  places: { id: BrowsePlace; path: string }[];
  /** The path separator, so the UI can show and edit paths as this machine writes them. */
  separator: string;
}

// ---------- the API itself ----------

export interface SearchRequest {
  question: string;
  params?: Partial<RerankParams>;
  retrieveK?: number;
}

export interface RefuseRequest {
  queryId: string;
  params: Partial<RerankParams>;
}

export interface AskRequest {
  requestId: string;
  question: string;
  params?: Partial<RerankParams>;
  /** Ask as a follow-up in this conversation; without it the question starts a new one. */
  conversationId?: string;
}

export interface LocalRagApi {
  getStatus(req: Record<string, never>): Promise<EngineStatus>;
  getSettings(req: Record<string, never>): Promise<Settings>;
  updateSettings(req: Partial<Settings>): Promise<Settings>;
  addFolder(req: { path: string }): Promise<EngineStatus>;
  removeFolder(req: { path: string }): Promise<EngineStatus>;
  reindex(req: { path?: string }): Promise<IndexSummary>;
  listFiles(req: { state?: FileState }): Promise<FileStatus[]>;
  search(req: SearchRequest): Promise<SearchResult>;
  /** Re-fuse cached scores of an earlier search with new alpha / normalisation / k / N. */
  refuse(req: RefuseRequest): Promise<SearchResult>;
  ask(req: AskRequest): Promise<AnswerResult>;
  /** Cancels by id: an answer (its requestId), an index run (the runId of its progress) or a model download (the model id). */
  cancel(req: { requestId: string }): Promise<{ cancelled: boolean }>;
  getPassage(req: { chunkId: number }): Promise<Passage & { documentText?: string }>;
  history(req: { limit?: number }): Promise<HistoryEntry[]>;
  listLlmModels(req: Record<string, never>): Promise<{ backend: LlmBackend; models: string[]; error?: AppError }>;
  importModel(req: { role: ModelRole; folder: string; id?: string }): Promise<ModelStatus>;
  downloadModel(req: { id: string }): Promise<ModelStatus>;
  getEvalReport(req: { collection?: string }): Promise<EvalReport | null>;
  /** Compares the vector index with SQLite vector by vector; repairs what differs unless checkOnly. */
  checkVectors(req: { checkOnly?: boolean }): Promise<VectorCheckReport>;
  /** Most recently used first; `query` keeps those whose title, questions or answers contain it. */
  listConversations(req: { query?: string; limit?: number }): Promise<Conversation[]>;
  getConversation(req: { id: string }): Promise<ConversationDetail>;
  renameConversation(req: { id: string; title: string }): Promise<Conversation>;
  deleteConversation(req: { id: string }): Promise<{ deleted: boolean }>;
  /** The conversation as Markdown: each question, its answer, and its sources numbered as the answer cites them. */
  exportConversation(req: { id: string }): Promise<ConversationExport>;
  /** Lists a folder on the engine's machine (never writes): subfolders, and GGUF files when asked. */
  browseFolder(req: BrowseRequest): Promise<FolderListing>;
  /** Starts an evaluation in the background (one at a time); progress comes as onEvalProgress events. */
  startEval(req: EvalRequest): Promise<EvalRunStarted>;
  cancelEval(req: { runId: string }): Promise<{ cancelled: boolean }>;
}

export type ApiMethod = keyof LocalRagApi;
export type ApiRequest<M extends ApiMethod> = Parameters<LocalRagApi[M]>[0];
export type ApiResponse<M extends ApiMethod> = Awaited<ReturnType<LocalRagApi[M]>>;

/** Events pushed from the engine; answer events carry the request id they belong to. */
export interface LocalRagEvents {
  onAnswerToken: { requestId: string; token: string };
  onStageTiming: { requestId: string; timing: StageTiming };
  onAnswerDone: AnswerResult;
  onIndexProgress: IndexProgress;
  onDownloadProgress: DownloadProgress;
  onAnswerSources: AnswerSources;
  onEvalProgress: EvalProgressEvent;
}

export type EventName = keyof LocalRagEvents;

/** Written once here so no transport types a channel name twice. */
export const API_METHODS = [
  'getStatus', 'getSettings', 'updateSettings', 'addFolder', 'removeFolder', 'reindex', 'listFiles',
  'search', 'refuse', 'ask', 'cancel', 'getPassage', 'history', 'listLlmModels', 'importModel',
  'downloadModel', 'getEvalReport', 'checkVectors',
  'listConversations', 'getConversation', 'renameConversation', 'deleteConversation', 'exportConversation',
  'browseFolder',
  'startEval', 'cancelEval',
] as const satisfies readonly ApiMethod[];

export const EVENT_NAMES = [
  'onAnswerToken', 'onStageTiming', 'onAnswerDone', 'onIndexProgress', 'onDownloadProgress',
  'onAnswerSources',
  'onEvalProgress',
] as const satisfies readonly EventName[];

/** What a transport must give the renderer: calls and a subscription. */
export interface ApiTransport {
  call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>>;
  on<E extends EventName>(event: E, listener: (payload: LocalRagEvents[E]) => void): () => void;
}

/** What a host (Electron's engine process, serve mode, tests) holds: the API plus one event subscription. */
export interface EngineApi extends LocalRagApi {
  subscribe(listener: <E extends EventName>(event: E, payload: LocalRagEvents[E]) => void): () => void;
  close(): Promise<void>;
}
