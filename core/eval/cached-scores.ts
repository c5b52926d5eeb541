// What the engine measured for one query, cached so that every grid setting is computed without rescoring.
import type { Normalisation } from '../contract/api.js';

export interface CachedCandidate {
  /** The collection's doc id (or String(chunkId) for user-labelled questions). */
  docId: string;
  /** 1-based rank in the retrieval (dense + BM25) order. */
  retrievalRank: number;
  /** Bi-encoder score; null when the embedder is missing. */
  bi: number | null;
  /** Cross-encoder score, present for the bi-top maxN (all K when cross mode is evaluated); null elsewhere or when missing. */
  cross: number | null;
}

/** Measured stage costs for one query; crossMs covers crossPairs pairs. */
export interface StageCosts {
  retrieveMs: number;
  biMs: number;
  crossMs: number;
  crossPairs: number;
}

export interface QueryScores {
  queryId: string;
  candidates: CachedCandidate[];
  timings: StageCosts;
}

/**
 * The reranker's fusion (core/rerank's fuseScores(...).map((f) => f.final)): candidates in retrieval order, null
 * where a score is absent; one final score per candidate, higher first.
 */
export type FuseFn = (
  candidates: { bi: number | null; cross: number | null }[],
  alpha: number,
  normalisation: Normalisation,
) => number[];
