// Every (mode, N, alpha) setting computed from cached per-query scores, with metrics, estimated latency and the
// Pareto frontier. Nothing is rescored: the cross scores a setting needs are a subset of the cached ones.
//
// Ranking is core/rerank's one ranking rule (rankCandidates), applied to the K retrieved chunks exactly as live
// search applies it; documents are collapsed afterwards (a document counts at its best chunk), then the deeper
// retrieval tail follows, so the metrics see as many documents as they count (Recall@100, MAP to 1000).
// Settings a mode ignores are reported as 0 (topN for none/bi/cross, alpha for none/bi/cross).
import type { EvalPoint, Normalisation, RerankMode } from '../contract/api.js';
import { RERANK_MODES } from '../contract/vocabulary.js';
import { crossTargets, rankCandidates } from '../rerank/ranking.js';
import { EvalError, relevantCount, type Qrels } from './collection.js';
import type { CachedCandidate, QueryScores, StageCosts } from './cached-scores.js';
import { meanMetrics, queryMetrics } from './metrics.js';

export const ALL_MODES: readonly RerankMode[] = RERANK_MODES;
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
  modes?: readonly RerankMode[];
  ns?: readonly number[];
  alphas?: readonly number[];
  normalisation?: Normalisation;
  /** The largest N the scores were made for (0: nothing was cross-scored on purpose). */
  maxN?: number;
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
    for (const n of mode === 'mixlm' ? ns : [0]) {
      for (const a of mode === 'mixlm' ? alphas : [0]) {
        const s = canonicalSetting({ mode, topN: n, alpha: a });
        seen.set(settingKey(s), s);
      }
    }
  }
  return [...seen.values()];
}

export function canonicalSetting(s: Setting): Setting {
  const mixed = s.mode === 'mixlm';
  return { mode: s.mode, topN: mixed ? s.topN : 0, alpha: mixed ? s.alpha : 0 };
}

/** Identity of a setting once ignored parameters are dropped (used to find the user's current setting). */
export function settingKey(s: Setting): string {
  const c = canonicalSetting(s);
  return `${c.mode}|${c.topN}|${Math.round(c.alpha * 1000)}`;
}

/** Candidates sorted by retrieval rank: the order the ranking rule takes them in. */
function inRetrievalOrder(q: QueryScores): CachedCandidate[] {
  return [...q.candidates].sort((a, b) => a.retrievalRank - b.retrievalRank);
}

/** The K chunks of one query in the order live search gives them under this setting. */
export function rankCachedChunks(q: QueryScores, setting: Setting, normalisation: Normalisation): CachedCandidate[] {
  const candidates = inRetrievalOrder(q);
  const bi = candidates.map((c) => c.bi);
  const cross = candidates.map((c) => c.cross);
  // A query with cross scores must have them for every target; a hole means the cache was made for a smaller N.
  const missing = cross.some((c) => c !== null) ? crossTargets(setting, bi).filter((i) => cross[i] === null).length : 0;
  if (missing > 0) {
    throw new EvalError('eval-cache-short',
      `Query ${q.queryId} lacks ${missing} of the cross-encoder scores that ${setting.mode}`
      + `${setting.mode === 'mixlm' ? ` N=${setting.topN}` : ''} needs.`,
      'Delete the cached scores file so the run rescores with a larger maxN.');
  }
  const ranking = rankCandidates({ ...setting, normalisation }, bi, cross);
  return ranking.order.map((i) => candidates[i]!);
}

/** The ranked doc ids of one query under one setting: chunks collapsed to documents, then the retrieval tail. */
export function rerankCached(q: QueryScores, setting: Setting, normalisation: Normalisation): string[] {
  return [...new Set([...rankCachedChunks(q, setting, normalisation).map((c) => c.docId), ...(q.tail ?? [])])];
}

/** Per-query latency of a setting from the measured stage costs; cross cost scales per pair with N. */
export function estimateLatencyMs(t: StageCosts, setting: Setting, candidates: number): number {
  if (setting.mode === 'none') return t.retrieveMs;
  if (setting.mode === 'bi') return t.retrieveMs + t.biMs;
  const perPair = t.crossPairs > 0 ? t.crossMs / t.crossPairs : 0;
  const pairs = setting.mode === 'cross' ? candidates : Math.min(setting.topN, candidates);
  return t.retrieveMs + t.biMs + perPair * pairs;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function skippedModes(queries: readonly QueryScores[], modes: readonly RerankMode[], maxN?: number): GridResult['skipped'] {
  const all = queries.flatMap((q) => q.candidates);
  const noBi = all.length > 0 && all.every((c) => c.bi === null);
  const noCross = all.length > 0 && all.every((c) => c.cross === null);
  const skipped: GridResult['skipped'] = [];
  for (const mode of modes) {
    if (noBi && mode === 'bi') skipped.push({ mode, reason: 'no bi-encoder scores (embedder missing), so it equals none' });
    else if (noCross && (mode === 'cross' || mode === 'mixlm')) {
      skipped.push({ mode, reason: maxN === 0 ? 'no cross-encoder scores were asked for (N = 0)' : 'no cross-encoder scores (cross-encoder missing)' });
    }
  }
  return skipped;
}

export function computeGrid(queries: readonly QueryScores[], qrels: Qrels, opts: GridOptions): GridResult {
  const modes = opts.modes ?? ALL_MODES;
  const normalisation = opts.normalisation ?? 'minmax';
  const skipped = skippedModes(queries, modes, opts.maxN);
  const usable = modes.filter((m) => !skipped.some((s) => s.mode === m));
  const judgedQueries = queries.filter((q) => relevantCount(qrels.get(q.queryId)) > 0);
  const points = gridSettings(usable, opts.ns ?? DEFAULT_NS, opts.alphas ?? DEFAULT_ALPHAS).map((setting): EvalPoint => {
    const rows = judgedQueries.map((q) => queryMetrics(q.queryId, rerankCached(q, setting, normalisation), qrels.get(q.queryId)!));
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
