// The one API contract between the engine and every front end (Electron IPC, HTTP+SSE serve mode, CLI --json).
// Types only plus the method/event name lists: the renderer imports this file and nothing else from core/.
import type { Settings } from './settings.js';
import type { FileState, LlmBackend, ModelRole, Normalisation, RerankMode } from './vocabulary.js';

export type { Settings } from './settings.js';
export type { FileState, LlmBackend, ModelRole, Normalisation, RerankMode } from './vocabulary.js';

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
  /** e.g. 'model missing', 'skipped', 'cached'. */
  note?: string;
}

export type StageName =
  | 'embedQuery' | 'faiss' | 'bm25' | 'fuse'
  | 'bi' | 'cross' | 'fusion'
  | 'prompt' | 'llmFirstToken' | 'llmTotal';

// ---------- library / indexing ----------

export interface FileStatus {
  path: string;
  state: FileState;
  /** Why a file was skipped or failed, in the user's words. */
  reason?: string;
  chunks: number;
  bytes: number;
  indexedAt?: string;
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
}

export interface DownloadProgress {
  modelId: string;
  file: string;
  loaded: number;
  total: number | null;
  done: boolean;
  error?: AppError;
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
}

export interface HistoryEntry {
  requestId: string;
  question: string;
  askedAt: string;
  status: AnswerResult['status'];
  answer: string;
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
}

export type EventName = keyof LocalRagEvents;

/** Written once here so no transport types a channel name twice. */
export const API_METHODS = [
  'getStatus', 'getSettings', 'updateSettings', 'addFolder', 'removeFolder', 'reindex', 'listFiles',
  'search', 'refuse', 'ask', 'cancel', 'getPassage', 'history', 'listLlmModels', 'importModel',
  'downloadModel', 'getEvalReport',
] as const satisfies readonly ApiMethod[];

export const EVENT_NAMES = [
  'onAnswerToken', 'onStageTiming', 'onAnswerDone', 'onIndexProgress', 'onDownloadProgress',
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
