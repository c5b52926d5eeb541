// What the engine measured for one query, per retrieved chunk, cached so that every grid setting is computed
// without rescoring.

export interface CachedCandidate {
  /** The chunk: the unit live search ranks (documents are collapsed only afterwards, for the metrics). */
  chunkId: number;
  /** The collection's doc id the chunk belongs to (or String(chunkId) for user-labelled questions). */
  docId: string;
  /** 1-based rank in the retrieval (dense and/or BM25) order. */
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
  /** The question that was scored: a query whose text changed since is scored again. */
  question?: string;
  /** The K retrieved chunks with their scores. */
  candidates: CachedCandidate[];
  /**
   * Doc ids of a deeper retrieval (retrieval order, up to the metrics depth), appended after the K reranked chunks
   * so that Recall@100 sees 100 documents and MAP 1000 even when chunks collapse; absent = no tail.
   */
  tail?: string[];
  timings: StageCosts;
}
