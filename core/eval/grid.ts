// Every (mode, N, alpha) setting computed from cached per-query scores, with metrics, estimated latency and the
// Pareto frontier. Nothing is rescored: cross scores for the top N are a subset of the cached top-maxN ones.
//
// Reranking semantics (must match core/rerank):
// - none:  retrieval order.
// - bi:    all K candidates by bi score (N and alpha unused).
// - cross: the bi-top N by cross score, then the rest in bi order (alpha unused).
// - mixlm: the bi-top N by fuse(bi, cross, alpha), then the rest in bi order.
// Equal scores keep the previous order (retrieval order for bi, bi order after it), so results are deterministic.
// Settings a mode ignores are reported as 0 (topN for none/bi, alpha for none/bi/cross).
import type { EvalPoint, Normalisation, RerankMode } from '../contract/api.js';
import { EvalError, relevantCount, type Qrels } from './collection.js';
import type { CachedCandidate, FuseFn, QueryScores, StageCosts } from './cached-scores.js';
import { meanMetrics, queryMetrics } from './metrics.js';

export const ALL_MODES: readonly RerankMode[] = ['none', 'bi', 'cross', 'mixlm'];
export const DEFAULT_NS: readonly number[] = [5, 10, 20, 30, 50, 100];
/** 0, 0.1, ..., 1 built from integers so that 0.3 is 0.3, not 0.30000000000000004. */
export const DEFAULT_ALPHAS: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);

export const LATENCY_BASIS = 'estimated from measured per-pair cost';

export interface Setting {
  mode: RerankMode;
  topN: number;
  alpha: number;
}

export interface GridOptions {
  fuse: FuseFn;
  modes?: readonly RerankMode[];
  ns?: readonly number[];
  alphas?: readonly number[];
  normalisation?: Normalisation;
}

export interface GridResult {
  points: EvalPoint[];
  /** Modes left out and why (e.g. no cross-encoder scores in the cache). */
  skipped: { mode: RerankMode; reason: string }[];
  /** Queries averaged over (those with at least one relevant document). */
  queries: number;
}

/** The settings a grid covers, without duplicates of settings a mode ignores. */
export function gridSettings(modes: readonly RerankMode[], ns: readonly number[], alphas: readonly number[]): Setting[] {
  const seen = new Map<string, Setting>();
  for (const mode of modes) {
    for (const n of mode === 'cross' || mode === 'mixlm' ? ns : [0]) {
      for (const a of mode === 'mixlm' ? alphas : [0]) {
        const s = canonicalSetting({ mode, topN: n, alpha: a });
        seen.set(settingKey(s), s);
      }
    }
  }
  return [...seen.values()];
}

export function canonicalSetting(s: Setting): Setting {
  const usesN = s.mode === 'cross' || s.mode === 'mixlm';
  return { mode: s.mode, topN: usesN ? s.topN : 0, alpha: s.mode === 'mixlm' ? s.alpha : 0 };
}

/** Identity of a setting once ignored parameters are dropped (used to find the user's current setting). */
export function settingKey(s: Setting): string {
  const c = canonicalSetting(s);
  return `${c.mode}|${c.topN}|${Math.round(c.alpha * 1000)}`;
}

/** Stable sort by score, higher first; null scores sink, keeping their order. */
function byScore<T>(items: readonly T[], score: (t: T, i: number) => number | null): T[] {
  return items
    .map((item, i) => ({ item, i, s: score(item, i) }))
    .sort((a, b) => (b.s ?? -Infinity) - (a.s ?? -Infinity) || a.i - b.i)
    .map((x) => x.item);
}

export function biOrder(candidates: readonly CachedCandidate[]): CachedCandidate[] {
  const retrieval = [...candidates].sort((a, b) => a.retrievalRank - b.retrievalRank);
  return byScore(retrieval, (c) => c.bi);
}

/** The reranked doc ids of one query under one setting. */
export function rerankCached(q: QueryScores, setting: Setting, fuse: FuseFn, normalisation: Normalisation): string[] {
  const retrieval = [...q.candidates].sort((a, b) => a.retrievalRank - b.retrievalRank);
  if (setting.mode === 'none') return retrieval.map((c) => c.docId);
  const bi = biOrder(retrieval);
  if (setting.mode === 'bi') return bi.map((c) => c.docId);
  const n = Math.min(setting.topN, bi.length);
  const head = bi.slice(0, n);
  const missing = head.findIndex((c) => c.cross === null);
  if (missing >= 0) {
    throw new EvalError('eval-cache-short',
      `Query ${q.queryId} has cross-encoder scores for only the top ${missing} by bi score, but N = ${setting.topN}.`,
      'Delete the cached scores file (or use a smaller N) so the run rescores with a larger maxN.');
  }
  let ordered: CachedCandidate[];
  if (setting.mode === 'cross') {
    ordered = byScore(head, (c) => c.cross);
  } else {
    const fused = fuse(head.map((c) => ({ bi: c.bi ?? 0, cross: c.cross })), setting.alpha, normalisation);
    ordered = byScore(head, (_, i) => fused[i]!);
  }
  return [...ordered, ...bi.slice(n)].map((c) => c.docId);
}

/** Per-query latency of a setting from the measured stage costs; cross cost scales per pair with N. */
export function estimateLatencyMs(t: StageCosts, setting: Setting, candidates: number): number {
  if (setting.mode === 'none') return t.retrieveMs;
  if (setting.mode === 'bi') return t.retrieveMs + t.biMs;
  const perPair = t.crossPairs > 0 ? t.crossMs / t.crossPairs : 0;
  return t.retrieveMs + t.biMs + perPair * Math.min(setting.topN, candidates);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function skippedModes(queries: readonly QueryScores[], modes: readonly RerankMode[]): GridResult['skipped'] {
  const all = queries.flatMap((q) => q.candidates);
  const noBi = all.length > 0 && all.every((c) => c.bi === null);
  const noCross = all.length > 0 && all.every((c) => c.cross === null);
  const skipped: GridResult['skipped'] = [];
  for (const mode of modes) {
    if (noBi && (mode === 'bi' || mode === 'mixlm')) skipped.push({ mode, reason: 'no bi-encoder scores (embedder missing)' });
    else if (noCross && (mode === 'cross' || mode === 'mixlm')) skipped.push({ mode, reason: 'no cross-encoder scores (cross-encoder missing)' });
  }
  return skipped;
}

export function computeGrid(queries: readonly QueryScores[], qrels: Qrels, opts: GridOptions): GridResult {
  const modes = opts.modes ?? ALL_MODES;
  const normalisation = opts.normalisation ?? 'minmax';
  const skipped = skippedModes(queries, modes);
  const usable = modes.filter((m) => !skipped.some((s) => s.mode === m));
  const judgedQueries = queries.filter((q) => relevantCount(qrels.get(q.queryId)) > 0);
  const points = gridSettings(usable, opts.ns ?? DEFAULT_NS, opts.alphas ?? DEFAULT_ALPHAS).map((setting): EvalPoint => {
    const rows = judgedQueries.map((q) => queryMetrics(q.queryId, rerankCached(q, setting, opts.fuse, normalisation), qrels.get(q.queryId)!));
    const latency = judgedQueries.map((q) => estimateLatencyMs(q.timings, setting, q.candidates.length));
    return { ...setting, ...meanMetrics(rows), p50Ms: median(latency), pareto: false };
  });
  return { points: paretoFrontier(points), skipped, queries: judgedQueries.length };
}

type NumericKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];

/**
 * Marks the points no other point beats: a point is dominated when another has x <= and y >= with one strict.
 * x is lower-better (latency), y higher-better (quality). Returns copies; equal points are both kept.
 */
export function paretoFrontier<T extends EvalPoint>(
  points: readonly T[],
  x: NumericKey<EvalPoint> = 'p50Ms',
  y: NumericKey<EvalPoint> = 'ndcg10',
): T[] {
  return points.map((p) => ({
    ...p,
    pareto: !points.some((o) => o[x] <= p[x] && o[y] >= p[y] && (o[x] < p[x] || o[y] > p[y])),
  }));
}
