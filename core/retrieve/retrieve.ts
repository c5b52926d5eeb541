// Retrieval: dense top-K from FAISS and BM25 top-K from FTS5, fused into K unique candidates, each carrying its
// dense cosine (from its stored vector) and BM25 rank, with per-stage timings.
import type { AppError, Candidate, ComponentState, RetrieveResult, StageTiming } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import type { Embedder } from '../embed/embedder.js';
import { dot } from '../embed/embedder.js';
import type { Db } from '../store/db.js';
import { getPassages } from '../store/documents.js';
import { bm25Search } from '../store/fulltext.js';
import { readVectors, type VectorIndex } from '../store/vector-index.js';

export interface RetrieveDeps {
  db: Db;
  /** Null when no embedder model is present: BM25 alone answers. */
  embedder: Embedder | null;
  vectors: VectorIndex | null;
  /** Why dense retrieval is off, when it is. */
  denseUnavailable?: AppError;
  /** 'unavailable' when the embedder is there but cannot be used (e.g. the stored vectors come from another one). */
  denseStatus?: 'model-missing' | 'unavailable';
}

export interface RetrieveOptions extends Pick<Settings, 'retrieveK' | 'retrievalFusion' | 'denseWeight'> {}

export interface Retrieval extends RetrieveResult {
  /** The query vector, shared with the reranker so the query is encoded once. */
  queryVector: Float32Array | null;
}

type Ranked = { chunkId: number; score: number }[];

const RRF_K = 60;

/** Fuses ranked lists into one order; returns chunk id -> fused score. */
export function fuseLists(dense: Ranked, bm25: Ranked, method: Settings['retrievalFusion'], denseWeight: number): Map<number, number> {
  const fused = new Map<number, number>();
  const addTo = (id: number, s: number) => fused.set(id, (fused.get(id) ?? 0) + s);
  if (method === 'rrf') {
    dense.forEach((r, i) => addTo(r.chunkId, 1 / (RRF_K + i + 1)));
    bm25.forEach((r, i) => addTo(r.chunkId, 1 / (RRF_K + i + 1)));
    return fused;
  }
  const minmax = (list: Ranked) => {
    const scores = list.map((r) => r.score);
    const lo = Math.min(...scores), hi = Math.max(...scores);
    return list.map((r) => ({ id: r.chunkId, n: hi > lo ? (r.score - lo) / (hi - lo) : 1 }));
  };
  const w = dense.length ? denseWeight : 0;
  minmax(dense).forEach(({ id, n }) => addTo(id, w * n));
  minmax(bm25).forEach(({ id, n }) => addTo(id, (1 - w) * n));
  return fused;
}

export async function retrieve(question: string, opts: RetrieveOptions, deps: RetrieveDeps): Promise<Retrieval> {
  const timings: StageTiming[] = [];
  const t0 = performance.now();
  const time = <T>(stage: StageTiming['stage'], fn: () => T, extra: Partial<StageTiming> = {}): T => {
    const start = performance.now();
    const out = fn();
    timings.push({ stage, ms: performance.now() - start, startMs: start - t0, ...extra });
    return out;
  };
  const k = opts.retrieveK;
  let queryVector: Float32Array | null = null;
  let dense: Ranked = [];
  let denseState: ComponentState = { status: 'ok' };
  if (deps.embedder && deps.vectors) {
    const start = performance.now();
    queryVector = await deps.embedder.embedQuery(question);
    timings.push({ stage: 'embedQuery', ms: performance.now() - start, startMs: start - t0, provider: deps.embedder.provider, model: deps.embedder.profile.id });
    const index = deps.vectors;
    dense = time('faiss', () => index.search(queryVector!, k), { note: `${index.size} vectors` });
  } else {
    denseState = { status: deps.denseStatus ?? 'model-missing', error: deps.denseUnavailable ?? { code: 'embedder-missing', message: 'No embedding model: dense retrieval is off, BM25 alone answers.', action: 'Get the embedder in Library > Models.' } };
    timings.push({ stage: 'embedQuery', ms: 0, startMs: 0, note: 'model missing' }, { stage: 'faiss', ms: 0, startMs: 0, note: 'model missing' });
  }
  const bm25 = time('bm25', () => bm25Search(deps.db, question, k));
  const candidates = time('fuse', () => {
    const fused = fuseLists(dense, bm25, opts.retrievalFusion, opts.denseWeight);
    const denseRank = new Map(dense.map((r, i) => [r.chunkId, i + 1]));
    const bm25Rank = new Map(bm25.map((r, i) => [r.chunkId, { rank: i + 1, score: r.score }]));
    const order = [...fused.entries()]
      .sort((a, b) => b[1] - a[1] || (denseRank.get(a[0]) ?? Infinity) - (denseRank.get(b[0]) ?? Infinity) || a[0] - b[0])
      .slice(0, k);
    const ids = order.map(([id]) => id);
    // Dense cosine for every candidate, BM25-only ones included, from the vectors stored at indexing time.
    const stored = queryVector ? readVectors(deps.db, ids) : new Map<number, Float32Array>();
    const passages = new Map(getPassages(deps.db, ids).map((p) => [p.chunkId, p]));
    return order.flatMap(([id, score], i): Candidate[] => {
      const p = passages.get(id);
      if (!p) return [];
      const v = stored.get(id);
      return [{
        ...p, denseScore: v && queryVector ? dot(queryVector, v) : null, denseRank: denseRank.get(id) ?? null,
        bm25Score: bm25Rank.get(id)?.score ?? null, bm25Rank: bm25Rank.get(id)?.rank ?? null,
        retrievalScore: score, retrievalRank: i + 1,
      }];
    });
  });
  return { question, candidates, timings, dense: denseState, queryVector };
}
