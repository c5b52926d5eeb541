// Passages and search results for answer-stage tests: real shapes from the contract, text chosen per test.
import type { RerankedCandidate, SearchResult, StageTiming } from '../../core/contract/api.js';

export function candidate(i: number, text: string, over: Partial<RerankedCandidate> = {}): RerankedCandidate {
  return {
    chunkId: 100 + i, documentId: 10 + i, path: `/docs/folder/doc${i}.txt`, page: null, headingPath: [],
    charStart: 0, charEnd: text.length, text,
    denseScore: 0.5, denseRank: i, bm25Score: 3, bm25Rank: i, retrievalScore: 1 / i, retrievalRank: i,
    rankBefore: i, rankAfter: i, biScore: 0.5, crossScore: 1, biNorm: 0.5, crossNorm: 0.5, finalScore: 1 / i, crossScored: true,
    ...over,
  };
}

export function searchResult(question: string, top: RerankedCandidate[], timings: StageTiming[] = []): SearchResult {
  return {
    queryId: 'q1', question, candidates: top, top, timings,
    mode: 'mixlm', alpha: 0.7, topN: 20, finalK: top.length, normalisation: 'minmax',
    dense: { status: 'ok' }, cross: { status: 'ok' }, provider: 'cpu',
  };
}
