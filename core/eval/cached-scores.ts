// What the engine measured for one query, cached so that every grid setting is computed without rescoring.
import type { Normalisation } from '../contract/api.js';

export interface CachedCandidate {
  /** The collection's doc id (or String(chunkId) for user-labelled questions). */
  docId: string;
  /** 1-based rank in the retrieval (dense + BM25) order. */
  retrievalRank: number;
  /** Bi-encoder score; null when the embedder is missing. */
  bi: number | null;
  /** Cross-encoder score, present for the bi-top maxN; null elsewhere or when the cross-encoder is missing. */
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

/** The reranker's fusion of bi and cross scores (supplied by core/rerank), one score per candidate, higher first. */
export type FuseFn = (
  candidates: { bi: number; cross: number | null }[],
  alpha: number,
  normalisation: Normalisation,
) => number[];
