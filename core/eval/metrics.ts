// Ranking metrics with trec_eval's conventions, stated once here (MAP to depth 1000, trec_eval's run depth):
// - the ranking is taken as given (no re-sorting by score; ties were broken by whoever produced it);
// - a document without a judgement is non-relevant; a repeated document counts only at its first rank;
// - relevant means grade > 0; nDCG's gain is the grade itself with a log2(rank + 1) discount (trec_eval ndcg_cut);
// - queries with no relevant document are excluded from the means (they are listed as `excluded`);
// - a query that has relevant documents but no ranking scores 0 everywhere (like trec_eval -c).
import { relevantCount, type Qrels } from './collection.js';

export interface MetricSet {
  ndcg10: number;
  mrr10: number;
  recall100: number;
  map: number;
}

export interface QueryMetrics extends MetricSet {
  queryId: string;
  relevant: number;
}

export interface RunMetrics {
  perQuery: QueryMetrics[];
  mean: MetricSet;
  /** Queries averaged over. */
  queries: number;
  /** Queries without any relevant document, left out of the means. */
  excluded: string[];
}

type Judged = ReadonlyMap<string, number>;

/** First occurrences only, so a duplicated document cannot be counted twice. */
function dedupe(ranking: readonly string[]): string[] {
  return [...new Set(ranking)];
}

const gain = (judged: Judged, doc: string) => Math.max(0, judged.get(doc) ?? 0);

export function reciprocalRankAt(ranking: readonly string[], judged: Judged, k = 10): number {
  const top = dedupe(ranking).slice(0, k);
  const i = top.findIndex((d) => gain(judged, d) > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

export function ndcgAt(ranking: readonly string[], judged: Judged, k = 10): number {
  const dcg = (gains: number[]) => gains.slice(0, k).reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  const ideal = dcg([...judged.values()].filter((g) => g > 0).sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(dedupe(ranking).map((d) => gain(judged, d))) / ideal;
}

export function recallAt(ranking: readonly string[], judged: Judged, k = 100): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  return dedupe(ranking).slice(0, k).filter((d) => gain(judged, d) > 0).length / total;
}

/** MAP's depth: trec_eval evaluates runs of up to 1000 documents per query. */
export const MAP_DEPTH = 1000;

/** Average precision over the first k documents, divided by all relevant documents (retrieved or not). */
export function averagePrecision(ranking: readonly string[], judged: Judged, k = MAP_DEPTH): number {
  const total = relevantCount(judged);
  if (total === 0) return 0;
  let hits = 0;
  let sum = 0;
  dedupe(ranking).slice(0, k).forEach((d, i) => {
    if (gain(judged, d) > 0) sum += ++hits / (i + 1);
  });
  return sum / total;
}

export function queryMetrics(queryId: string, ranking: readonly string[], judged: Judged): QueryMetrics {
  return {
    queryId,
    relevant: relevantCount(judged),
    ndcg10: ndcgAt(ranking, judged, 10),
    mrr10: reciprocalRankAt(ranking, judged, 10),
    recall100: recallAt(ranking, judged, 100),
    map: averagePrecision(ranking, judged),
  };
}

export function meanMetrics(rows: readonly MetricSet[]): MetricSet {
  const mean = (key: keyof MetricSet) => (rows.length ? rows.reduce((s, r) => s + r[key], 0) / rows.length : 0);
  return { ndcg10: mean('ndcg10'), mrr10: mean('mrr10'), recall100: mean('recall100'), map: mean('map') };
}

/** Scores every judged query; `rankings` maps query id to doc ids best-first. */
export function evaluateRun(rankings: ReadonlyMap<string, readonly string[]>, qrels: Qrels): RunMetrics {
  const perQuery: QueryMetrics[] = [];
  const excluded: string[] = [];
  for (const [queryId, judged] of qrels) {
    if (relevantCount(judged) === 0) excluded.push(queryId);
    else perQuery.push(queryMetrics(queryId, rankings.get(queryId) ?? [], judged));
  }
  return { perQuery, mean: meanMetrics(perQuery), queries: perQuery.length, excluded };
}
