// MixLM fusion: final = alpha * norm(cross) + (1 - alpha) * norm(bi), pure and deterministic, so the engine, the
// refuse path and the eval workbench all rank the same way from the same scores.
import type { Normalisation } from '../contract/api.js';

/** Scores of one candidate, given in retrieval order (index 0 = retrieval rank 1). null = not scored. */
export interface ScorePair {
  bi: number | null;
  cross: number | null;
}

export interface FusedScore {
  /** null when the candidate has no bi score. */
  biNorm: number | null;
  /** null when the candidate was not cross-scored (outside the top N). */
  crossNorm: number | null;
  final: number;
}

/** The RRF constant, the same one retrieval uses. */
export const RRF_K = 60;

/**
 * Normalises both score lists over the candidates that have them and mixes them with weight alpha on cross.
 *
 * - minmax (the reference): (x - min) / (max - min). All-equal (or a single) score normalises to 1, never NaN or 0,
 *   so a lone cross-scored candidate still outranks the unscored ones.
 * - sigmoid: cross logits through 1 / (1 + e^-x); bi cosines as they are.
 * - zscore: (x - mean) / std (population std); all-equal normalises to 0 (the mean itself).
 * - rrf: norm = 1 / (60 + rank), rank 1-based among the scored, ties by retrieval order;
 *   so final = alpha / (60 + rank_cross) + (1 - alpha) / (60 + rank_bi).
 *
 * A candidate without a cross score contributes the "floor" of the cross scale: 0 for minmax, sigmoid and rrf (for
 * minmax that equals the worst scored one, the reference recipe), and one standard deviation below the lowest z of
 * the scored ones for zscore (0 would put it at the average of the cross-scored, and the lowest z itself would make
 * a lone scored candidate, z 0, look unscored). A candidate without a bi score contributes the bi floor the same way
 * (0, or min(0, lowest cosine) for sigmoid), so when no bi scores exist at all the bi part orders nothing.
 * Where a floor equals the weakest scored value (minmax, sigmoid's bi), the fused scores can tie: rankFused breaks
 * such ties so that a scored candidate always sits above an unscored one.
 * Non-finite scores (a broken model's NaN) count as missing.
 */
export function fuseScores(items: ScorePair[], alpha: number, normalisation: Normalisation): FusedScore[] {
  const a = Math.min(1, Math.max(0, alpha));
  const bi = normalise(items.map((s) => finite(s.bi)), normalisation, 'bi');
  const cross = normalise(items.map((s) => finite(s.cross)), normalisation, 'cross');
  return items.map((_, i) => {
    const b = bi.values[i] ?? null;
    const c = cross.values[i] ?? null;
    const final = a * (c ?? cross.floor) + (1 - a) * (b ?? bi.floor);
    return { biNorm: b, crossNorm: c, final };
  });
}

/**
 * Indices best first by fused score. Equal scores: a cross-scored candidate before one without a cross score, then
 * a bi-scored one before one without, then retrieval order (the lower index). So a floor that equals the weakest
 * scored value (minmax's 0) can never put an unscored candidate above a scored one.
 */
export function rankFused(items: readonly ScorePair[], fused: readonly FusedScore[]): number[] {
  const has = (x: number | null | undefined) => (finite(x) === null ? 0 : 1);
  return fused.map((_, i) => i).sort((x, y) => (fused[y]!.final - fused[x]!.final)
    || (has(items[y]!.cross) - has(items[x]!.cross)) || (has(items[y]!.bi) - has(items[x]!.bi)) || (x - y));
}

/** Indices of `scores` ordered best first; equal scores keep retrieval order (the lower index wins). */
export function rankOrder(scores: readonly number[]): number[] {
  return scores.map((_, i) => i).sort((x, y) => (scores[y]! - scores[x]!) || (x - y));
}

/** Indices of the items having a score, best first (ties by index), e.g. to pick the bi top N. */
export function rankScored(scores: readonly (number | null)[]): number[] {
  const present = scores.map((s, i) => ({ s: finite(s), i })).filter((x): x is { s: number; i: number } => x.s !== null);
  return present.sort((x, y) => (y.s - x.s) || (x.i - y.i)).map((x) => x.i);
}

interface Normalised {
  values: (number | null)[];
  /** What a missing score contributes to the final score. */
  floor: number;
}

function normalise(raw: (number | null)[], how: Normalisation, side: 'bi' | 'cross'): Normalised {
  const present = raw.filter((x): x is number => x !== null);
  const values: (number | null)[] = new Array(raw.length).fill(null);
  if (present.length === 0) return { values, floor: 0 };
  switch (how) {
    case 'minmax': {
      const lo = Math.min(...present), hi = Math.max(...present);
      raw.forEach((x, i) => { if (x !== null) values[i] = hi > lo ? (x - lo) / (hi - lo) : 1; });
      return { values, floor: 0 };
    }
    case 'sigmoid': {
      raw.forEach((x, i) => { if (x !== null) values[i] = side === 'cross' ? sigmoid(x) : x; });
      // Cosines can be negative: a missing bi score must still sit at the bottom.
      return { values, floor: side === 'cross' ? 0 : Math.min(0, ...present) };
    }
    case 'zscore': {
      const mean = present.reduce((s, x) => s + x, 0) / present.length;
      const sd = Math.sqrt(present.reduce((s, x) => s + (x - mean) ** 2, 0) / present.length);
      raw.forEach((x, i) => { if (x !== null) values[i] = sd > 0 ? (x - mean) / sd : 0; });
      return { values, floor: Math.min(...(values.filter((v) => v !== null) as number[])) - 1 };
    }
    case 'rrf': {
      rankScored(raw).forEach((i, r) => { values[i] = 1 / (RRF_K + r + 1); });
      return { values, floor: 0 };
    }
  }
}

function sigmoid(x: number): number {
  // Split form avoids overflow of e^-x for very negative logits.
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
