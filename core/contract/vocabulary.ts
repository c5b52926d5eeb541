// Every closed set of domain words, written once. Types, zod enums, UI choices and CLI help all derive from these
// lists, so adding a value here is the whole change (the renderer imports this file too: values only, no Node).

/** How the K candidates are reordered: retrieval order, bi-encoder cosine, cross-encoder on all K, or MixLM. */
export const RERANK_MODES = ['none', 'bi', 'cross', 'mixlm'] as const;
export type RerankMode = (typeof RERANK_MODES)[number];

/** How bi and cross scores are put on one scale before they are mixed with alpha. */
export const NORMALISATIONS = ['minmax', 'sigmoid', 'zscore', 'rrf'] as const;
export type Normalisation = (typeof NORMALISATIONS)[number];

/** How the dense and BM25 candidate lists are joined into one retrieval order. */
export const RETRIEVAL_FUSIONS = ['rrf', 'weighted'] as const;
export type RetrievalFusion = (typeof RETRIEVAL_FUSIONS)[number];

/** Where ONNX models run; 'auto' tries the platform's GPU providers first and falls back to the CPU. */
export const EXECUTION_PROVIDERS = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type ExecutionProviderSetting = (typeof EXECUTION_PROVIDERS)[number];

/** The LLM backends that write answers. */
export const LLM_BACKENDS = ['ollama', 'embedded'] as const;
export type LlmBackend = (typeof LLM_BACKENDS)[number];

/** The languages of the interface and of engine messages. */
export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What happened to a file the indexer saw. */
export const FILE_STATES = ['indexed', 'skipped', 'error', 'pending'] as const;
export type FileState = (typeof FILE_STATES)[number];

/** The roles a model can play. */
export const MODEL_ROLES = ['embedder', 'cross-encoder', 'llm'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** Whether the stored vectors were made by the embedder in use: 'stale' until an index run re-embeds them. */
export const VECTOR_STATES = ['current', 'stale', 're-embedding', 'no-embedder'] as const;
export type VectorState = (typeof VECTOR_STATES)[number];

/** How dense vectors are searched: exactly (flat) for small collections, a quantised HNSW graph for large ones. */
export const VECTOR_INDEX_KINDS = ['flat', 'hnsw'] as const;
export type VectorIndexKind = (typeof VECTOR_INDEX_KINDS)[number];

/** Why a file was not indexed: FileStatus.problem.code (the UI words each one from its code and params). */
export const FILE_PROBLEMS = [
  'empty', 'too-large', 'binary', 'garbled', 'no-text', 'no-text-layer',
  'not-found', 'unreadable', 'is-a-folder', 'path-changed', 'io-error', 'not-regular-file', 'changed-during-read',
  'unreadable-file-name', 'not-a-folder', 'symlink-loop', 'broken-symlink', 'symlink-to-ancestor', 'duplicate-folder',
  'link-into-ignored', 'own-store', 'own-models',
  'not-a-pdf', 'encrypted-pdf', 'corrupt-pdf', 'not-a-docx', 'encrypted-docx', 'corrupt-docx', 'corrupt-rtf', 'parse-error',
  'parse-timeout', 'parse-memory-limit', 'unpacked-too-large',
] as const;
export type FileProblemCode = (typeof FILE_PROBLEMS)[number];

/** Notes on a file that was indexed, but not exactly as written: FileStatus.note.code. */
export const FILE_NOTES = ['decoded-as', 'decoded-with-losses', 'pdf-page-limit', 'pdf-time-limit'] as const;
export type FileNoteCode = (typeof FILE_NOTES)[number];

/** Notes on a stage's timing in the latency view (core/contract/stage-notes.ts holds their English text). */
export const STAGE_NOTES = [
  'note-retrieval-off', 'note-vectors', 'note-model-missing', 'note-unavailable', 'note-stored-vectors', 'note-no-vectors',
  'note-fusion', 'note-skipped', 'note-cross-failed', 'note-cached', 'note-scored-cached', 'note-context-dropped',
  'note-cancelled', 'note-llm-unavailable', 'note-language-not-covered', 'note-rewritten-by-llm', 'note-key-terms-added',
  'note-rewrite-llm-error',
] as const;
export type StageNoteCode = (typeof STAGE_NOTES)[number];

/** Where an answer's history row stands: 'running' until it ends in one of the other three (a crash included). */
export const HISTORY_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];

/** How a follow-up question became the standalone question retrieval ran on. */
export const STANDALONE_METHODS = ['first-question', 'llm', 'key-terms'] as const;
export type StandaloneMethod = (typeof STANDALONE_METHODS)[number];

/**
 * How an engine opens its store: 'create' (writers: index, serve, the app; made when missing), 'write' (must exist:
 * ask, doctor's repair), 'read' (read-only, must exist: status, search, doctor --check), 'read-or-empty' (read-only;
 * a missing store reads as an empty one held in memory: models list, eval's look at the app's settings).
 */
export const STORE_ACCESS = ['create', 'write', 'read', 'read-or-empty'] as const;
export type StoreAccess = (typeof STORE_ACCESS)[number];

/** What the folder browser lists besides folders: nothing (a folder to add), or GGUF model files (an LLM to answer with). */
export const BROWSE_SHOWS = ['folders', 'gguf'] as const;
export type BrowseShow = (typeof BROWSE_SHOWS)[number];

/** The places the folder browser offers to jump to (each only where it exists on this machine). */
export const BROWSE_PLACES = ['home', 'documents', 'desktop', 'downloads', 'models'] as const;
export type BrowsePlace = (typeof BROWSE_PLACES)[number];

/** What one row of the folder browser is. */
export const BROWSE_ENTRY_KINDS = ['folder', 'file'] as const;
export type BrowseEntryKind = (typeof BROWSE_ENTRY_KINDS)[number];

/** Where the K candidates come from: dense and BM25 lists fused, BM25 alone, or dense alone. */
export const RETRIEVAL_MODES = ['hybrid', 'bm25', 'dense'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];

/** The phases of an evaluation run, as its progress events report them. */
export const EVAL_PHASES = ['indexing', 'scoring', 'grid', 'done', 'error', 'cancelled'] as const;
export type EvalPhase = (typeof EVAL_PHASES)[number];
