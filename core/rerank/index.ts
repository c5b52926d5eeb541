// Public surface of the reranking stage.
export { batchesOf, CrossEncoder, DEFAULT_BATCH_TOKENS, emptyCrossStats, readLogits, type CrossEncoderOptions, type CrossSettings, type CrossStats } from './cross-encoder.js';
export { fuseScores, rankFused, rankOrder, rankScored, RRF_K, type FusedScore, type ScorePair } from './fuse.js';
export { crossTargets, rankCandidates, type RankSetting, type Ranking } from './ranking.js';
export { Reranker, RerankError, type OpenRerankerOptions, type RerankerOptions, type RerankRequest } from './rerank.js';
