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
export const EXECUTION_PROVIDERS = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const;
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

/** Where an answer's history row stands: 'running' until it ends in one of the other three (a crash included). */
export const HISTORY_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];

/** How a follow-up question became the standalone question retrieval ran on. */
export const STANDALONE_METHODS = ['first-question', 'llm', 'key-terms'] as const;
export type StandaloneMethod = (typeof STANDALONE_METHODS)[number];
