// The one ranking rule: how the K retrieved chunks are reordered for a rerank setting, from their scores alone.
// The live Reranker and the evaluation grid both call it, on chunks, so the grid's numbers are the product's.
import type { Normalisation, RerankMode } from '../contract/vocabulary.js';
import { fuseScores, rankFused, rankScored, type FusedScore, type ScorePair } from './fuse.js';

export interface RankSetting {
  mode: RerankMode;
  /** Cross-scored candidates for mixlm (the bi top N). */
  topN: number;
  /** Weight of the cross-encoder in mixlm. */
  alpha: number;
  normalisation: Normalisation;
}

export interface Ranking {
  /** Candidate indices best first. */
  order: number[];
  /** Per candidate, in retrieval order. */
  fused: FusedScore[];
  /** The cross scores the setting used (null outside its targets), per candidate in retrieval order. */
  cross: (number | null)[];
}

/**
 * Candidate indices the setting cross-scores: all K for cross, the bi top N for mixlm (ties by retrieval order;
 * candidates without a bi score follow in retrieval order), none for none and bi.
 */
export function crossTargets(setting: Pick<RankSetting, 'mode' | 'topN'>, bi: readonly (number | null)[]): number[] {
  if (setting.mode === 'cross') return bi.map((_, i) => i);
  if (setting.mode !== 'mixlm') return [];
  const byBi = rankScored(bi);
  const scored = new Set(byBi);
  return [...byBi, ...bi.map((_, i) => i).filter((i) => !scored.has(i))].slice(0, Math.max(0, setting.topN));
}

/**
 * Orders candidates given in retrieval order (index 0 = retrieval rank 1):
 * - none:  retrieval order.
 * - bi:    by the bi score (alpha 0).
 * - cross: by the cross score of all K (alpha 1).
 * - mixlm: the bi top N keep their cross score, the rest have none; all K by alpha * cross + (1 - alpha) * bi.
 * `cross` may hold more scores than the setting uses (a cache scored for a larger N): only its targets count.
 * When no target has a cross score (the model is missing or failed), every mode falls back to bi order.
 * Ties: cross-scored before unscored, bi-scored before unscored, then retrieval order (rankFused).
 */
export function rankCandidates(setting: RankSetting, bi: readonly (number | null)[], cross: readonly (number | null)[]): Ranking {
  const targets = new Set(crossTargets(setting, bi));
  const used = bi.map((_, i) => (targets.has(i) && Number.isFinite(cross[i]) ? cross[i]! : null));
  const haveCross = used.some((c) => c !== null);
  const alpha = !haveCross ? 0 : setting.mode === 'cross' ? 1 : setting.mode === 'mixlm' ? setting.alpha : 0;
  const items: ScorePair[] = bi.map((b, i) => ({ bi: b, cross: used[i]! }));
  const fused = fuseScores(items, alpha, setting.normalisation);
  const order = setting.mode === 'none' ? bi.map((_, i) => i) : rankFused(items, fused);
  return { order, fused, cross: used };
}
