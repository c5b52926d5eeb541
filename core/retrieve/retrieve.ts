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
import { stageNote, withNotes } from '../contract/stage-notes.js';

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

export interface RetrieveOptions extends Pick<Settings, 'retrieveK' | 'retrievalFusion' | 'denseWeight'> {
  /** Default hybrid. */
  retrieval?: Settings['retrieval'];
  bm25K1?: number;
  bm25B?: number;
}

export interface Retrieval extends RetrieveResult {
  /** The query vector, shared with the reranker so the query is encoded once. */
  queryVector: Float32Array | null;
}

type Ranked = { chunkId: number; score: number }[];

export interface FusedCandidate {
  chunkId: number;
  score: number;
  /** How many lists (with a weight above 0) hold the candidate. */
  lists: number;
}

const RRF_K = 60;

/**
 * Joins the dense and BM25 lists into one order, best first.
 * - rrf: sum of 1 / (60 + rank) over the lists holding the candidate.
 * - weighted: denseWeight * minmax(dense) + (1 - denseWeight) * minmax(bm25), each list min-max normalised over its
 *   own hits (a lone or all-equal hit gets 1). A list with weight 0 brings in no candidates of its own, and when
 *   only one list has hits it counts fully.
 * Min-max maps a list's weakest hit to 0, which is also what a candidate outside that list gets; so equal scores
 * go to the candidate held by more lists (a scored candidate never ties below an unscored one), then to the better
 * dense rank, the better BM25 rank, and the lower chunk id.
 */
export function fuseLists(dense: Ranked, bm25: Ranked, method: Settings['retrievalFusion'], denseWeight: number): FusedCandidate[] {
  const fused = new Map<number, FusedCandidate>();
  const add = (id: number, s: number) => {
    const f = fused.get(id);
    if (f) { f.score += s; f.lists++; } else fused.set(id, { chunkId: id, score: s, lists: 1 });
  };
  if (method === 'rrf') {
    dense.forEach((r, i) => add(r.chunkId, 1 / (RRF_K + i + 1)));
    bm25.forEach((r, i) => add(r.chunkId, 1 / (RRF_K + i + 1)));
  } else {
    const minmax = (list: Ranked) => {
      const scores = list.map((r) => r.score);
      const lo = Math.min(...scores), hi = Math.max(...scores);
      return list.map((r) => ({ id: r.chunkId, n: hi > lo ? (r.score - lo) / (hi - lo) : 1 }));
    };
    const w = !bm25.length ? 1 : !dense.length ? 0 : Math.min(1, Math.max(0, denseWeight));
    if (w > 0) minmax(dense).forEach(({ id, n }) => add(id, w * n));
    if (w < 1) minmax(bm25).forEach(({ id, n }) => add(id, (1 - w) * n));
  }
  const denseRank = new Map(dense.map((r, i) => [r.chunkId, i]));
  const bm25Rank = new Map(bm25.map((r, i) => [r.chunkId, i]));
  const rank = (m: Map<number, number>, id: number) => m.get(id) ?? Infinity;
  return [...fused.values()].sort((a, b) => (b.score - a.score) || (b.lists - a.lists)
    || (rank(denseRank, a.chunkId) - rank(denseRank, b.chunkId)) || (rank(bm25Rank, a.chunkId) - rank(bm25Rank, b.chunkId))
    || (a.chunkId - b.chunkId));
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
  const mode = opts.retrieval ?? 'hybrid';
  let queryVector: Float32Array | null = null;
  let dense: Ranked = [];
  let denseState: ComponentState = { status: 'ok' };
  const model = deps.embedder && deps.vectors ? { embedder: deps.embedder, index: deps.vectors } : null;
  if (model) {
    // The query vector is needed even for BM25-only retrieval: the reranker's bi scores are its cosines.
    const start = performance.now();
    queryVector = await model.embedder.embedQuery(question);
    timings.push({ stage: 'embedQuery', ms: performance.now() - start, startMs: start - t0, provider: model.embedder.provider, model: model.embedder.profile.id });
    if (mode === 'bm25') timings.push({ stage: 'faiss', ms: 0, startMs: performance.now() - t0, ...withNotes(stageNote('note-retrieval-off', { retrieval: 'bm25' })) });
    else dense = time('faiss', () => model.index.search(queryVector!, k), withNotes(stageNote('note-vectors', { count: model.index.size })));
  } else {
    denseState = { status: deps.denseStatus ?? 'model-missing', error: deps.denseUnavailable ?? { code: 'embedder-missing', message: 'No embedding model: dense retrieval is off, BM25 alone answers.', action: 'Get the embedder in Library > Models.' } };
    timings.push({ stage: 'embedQuery', ms: 0, startMs: 0, ...withNotes(stageNote('note-model-missing')) }, { stage: 'faiss', ms: 0, startMs: 0, ...withNotes(stageNote('note-model-missing')) });
  }
  // Dense-only retrieval without an embedder degrades to BM25 (the dense state says why) rather than to nothing.
  let bm25: Ranked = [];
  if (mode === 'dense' && model) timings.push({ stage: 'bm25', ms: 0, startMs: performance.now() - t0, ...withNotes(stageNote('note-retrieval-off', { retrieval: 'dense' })) });
  else bm25 = time('bm25', () => bm25Search(deps.db, question, k, { k1: opts.bm25K1, b: opts.bm25B }));
  const candidates = time('fuse', () => {
    const order = fuseLists(dense, bm25, opts.retrievalFusion, opts.denseWeight).slice(0, k);
    const denseRank = new Map(dense.map((r, i) => [r.chunkId, i + 1]));
    const bm25Rank = new Map(bm25.map((r, i) => [r.chunkId, { rank: i + 1, score: r.score }]));
    const ids = order.map((c) => c.chunkId);
    // Dense cosine for every candidate, BM25-only ones included, from the vectors stored at indexing time.
    const stored = queryVector ? readVectors(deps.db, ids) : new Map<number, Float32Array>();
    const passages = new Map(getPassages(deps.db, ids).map((p) => [p.chunkId, p]));
    return order.flatMap(({ chunkId: id, score }, i): Candidate[] => {
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
