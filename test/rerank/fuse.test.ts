// Fusion maths against hand-computed values (arithmetic written beside each case).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuseScores, rankFused, rankOrder, rankScored, type FusedScore, type ScorePair } from '../../core/rerank/fuse.js';
import type { Normalisation } from '../../core/contract/vocabulary.js';
import { NORMALISATIONS } from '../../core/contract/vocabulary.js';

const close = (actual: number | null, expected: number | null, msg?: string) => {
  if (expected === null) return assert.equal(actual, null, msg);
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${msg ?? ''} expected ${expected}, got ${actual}`);
};
const check = (got: FusedScore[], want: [number | null, number | null, number][]) => {
  assert.equal(got.length, want.length);
  want.forEach(([b, c, f], i) => {
    close(got[i]!.biNorm, b, `biNorm[${i}]`);
    close(got[i]!.crossNorm, c, `crossNorm[${i}]`);
    close(got[i]!.final, f, `final[${i}]`);
  });
};
const order = (f: FusedScore[]) => rankOrder(f.map((x) => x.final));

describe('fuseScores minmax (the reference recipe)', () => {
  it('mixes normalised cross and bi with alpha; uncrossed get cross 0', () => {
    // bi 0.9 0.8 0.5 0.7 -> min 0.5, range 0.4 -> 1, 0.75, 0, 0.5
    // cross 2 -1 - 5 -> min -1, range 6 -> 0.5, 0, -, 1
    // final = 0.7c + 0.3b: 0.35+0.3=0.65 | 0+0.225=0.225 | 0+0=0 | 0.7+0.15=0.85
    const f = fuseScores([{ bi: 0.9, cross: 2 }, { bi: 0.8, cross: -1 }, { bi: 0.5, cross: null }, { bi: 0.7, cross: 5 }], 0.7, 'minmax');
    check(f, [[1, 0.5, 0.65], [0.75, 0, 0.225], [0, null, 0], [0.5, 1, 0.85]]);
    assert.deepEqual(order(f), [3, 0, 1, 2]);
  });

  it('one candidate normalises to 1, not NaN or 0', () => {
    check(fuseScores([{ bi: 0.3, cross: -2 }], 0.7, 'minmax'), [[1, 1, 1]]);
  });

  it('all-equal scores normalise to 1 and keep crossed above uncrossed', () => {
    // every bi 0.5 -> 1; cross 1 1 - -> 1 1 -; final 0.7+0.3=1 | 1 | 0+0.3=0.3
    const f = fuseScores([{ bi: 0.5, cross: 1 }, { bi: 0.5, cross: 1 }, { bi: 0.5, cross: null }], 0.7, 'minmax');
    check(f, [[1, 1, 1], [1, 1, 1], [1, null, 0.3]]);
    assert.deepEqual(order(f), [0, 1, 2]);
  });

  it('ties break by retrieval order', () => {
    // bi 0.4 0.6 0.6 -> 0 1 1; alpha 0 -> final = biNorm; the two 1s keep index order
    const f = fuseScores([{ bi: 0.4, cross: null }, { bi: 0.6, cross: null }, { bi: 0.6, cross: null }], 0, 'minmax');
    check(f, [[0, null, 0], [1, null, 1], [1, null, 1]]);
    assert.deepEqual(order(f), [1, 2, 0]);
  });

  it('alpha 1 is pure cross, alpha 0 pure bi; alpha is clamped to [0, 1]', () => {
    const items = [{ bi: 1, cross: 0 }, { bi: 0, cross: 1 }];
    // bi -> 1 0, cross -> 0 1
    assert.deepEqual(order(fuseScores(items, 1, 'minmax')), [1, 0]);
    assert.deepEqual(order(fuseScores(items, 0, 'minmax')), [0, 1]);
    check(fuseScores(items, 7, 'minmax'), [[1, 0, 0], [0, 1, 1]]);
    check(fuseScores(items, -1, 'minmax'), [[1, 0, 1], [0, 1, 0]]);
  });

  it('no bi scores at all: the bi part is empty and the order is retrieval order', () => {
    const f = fuseScores([{ bi: null, cross: null }, { bi: null, cross: null }, { bi: null, cross: null }], 0.7, 'minmax');
    check(f, [[null, null, 0], [null, null, 0], [null, null, 0]]);
    assert.deepEqual(order(f), [0, 1, 2]);
  });

  it('a NaN score counts as missing instead of poisoning the order', () => {
    // cross NaN 1 3 -> - 0 1 ; bi all 0.5 -> 1 ; final 0+0.5=0.5 | 0+0.5=0.5 | 0.5+0.5=1
    const f = fuseScores([{ bi: 0.5, cross: Number.NaN }, { bi: 0.5, cross: 1 }, { bi: 0.5, cross: 3 }], 0.5, 'minmax');
    check(f, [[1, null, 0.5], [1, 0, 0.5], [1, 1, 1]]);
    assert.deepEqual(order(f), [2, 0, 1]);
  });
});

describe('fuseScores sigmoid', () => {
  it('cross through a sigmoid, bi cosine as is', () => {
    // sigmoid(0)=0.5, sigmoid(ln 3)=3/4; alpha 0.5:
    // 0.25+0.1=0.35 | 0.375+0.3=0.675 | 0+0.45=0.45
    const f = fuseScores([{ bi: 0.2, cross: 0 }, { bi: 0.6, cross: Math.log(3) }, { bi: 0.9, cross: null }], 0.5, 'sigmoid');
    check(f, [[0.2, 0.5, 0.35], [0.6, 0.75, 0.675], [0.9, null, 0.45]]);
    assert.deepEqual(order(f), [1, 2, 0]);
  });

  it('extreme logits stay finite', () => {
    const f = fuseScores([{ bi: 0.1, cross: -1000 }, { bi: 0.1, cross: 1000 }], 1, 'sigmoid');
    check(f, [[0.1, 0, 0], [0.1, 1, 1]]);
  });

  it('a missing bi score ties with the lowest cosine, never above a negative one, and ranks below it', () => {
    // bi floor = min(0, -0.4) = -0.4; alpha 0: final -0.2 | -0.4 (missing) | -0.4; the tie goes to the scored one
    const items = [{ bi: -0.2, cross: null }, { bi: null, cross: null }, { bi: -0.4, cross: null }];
    const f = fuseScores(items, 0, 'sigmoid');
    check(f, [[-0.2, null, -0.2], [null, null, -0.4], [-0.4, null, -0.4]]);
    assert.deepEqual(rankFused(items, f), [0, 2, 1]);
  });
});

describe('fuseScores zscore', () => {
  it('standardises over the scored; uncrossed take one sd below the lowest cross z', () => {
    // bi 1 2 3: mean 2, population sd sqrt(2/3) -> z = -sqrt(1.5), 0, sqrt(1.5)
    // cross 4 - 0: mean 2, sd 2 -> 1, -, -1; floor -1 - 1 = -2
    // alpha 0.5: 0.5 - 0.5 sqrt(1.5) | -1 + 0 | -0.5 + 0.5 sqrt(1.5)
    const z = Math.sqrt(1.5);
    const f = fuseScores([{ bi: 1, cross: 4 }, { bi: 2, cross: null }, { bi: 3, cross: 0 }], 0.5, 'zscore');
    check(f, [[-z, 1, 0.5 - 0.5 * z], [0, null, -1], [z, -1, -0.5 + 0.5 * z]]);
    assert.deepEqual(order(f), [2, 0, 1]);
  });

  it('all-equal scores give z 0, not NaN', () => {
    check(fuseScores([{ bi: 0.3, cross: 2 }, { bi: 0.3, cross: 2 }], 0.7, 'zscore'), [[0, 0, 0], [0, 0, 0]]);
  });

  it('N = 1: the lone cross score still counts (z 0 sits one sd above the unscored floor)', () => {
    // bi 0.9 0.5 0.1: mean 0.5, sd sqrt(0.32/3) -> z sqrt(1.5), 0, -sqrt(1.5); cross 3 - - -> z 0, floor -1
    // alpha 0.5: 0 + 0.5 sqrt(1.5) | -0.5 + 0 | -0.5 - 0.5 sqrt(1.5)
    const z = Math.sqrt(1.5);
    const f = fuseScores([{ bi: 0.9, cross: 3 }, { bi: 0.5, cross: null }, { bi: 0.1, cross: null }], 0.5, 'zscore');
    check(f, [[z, 0, 0.5 * z], [0, null, -0.5], [-z, null, -0.5 - 0.5 * z]]);
    // alpha 1 (cross alone): 0 | -1 | -1 -> the scored one first, the unscored in retrieval order
    const pure = fuseScores([{ bi: 0.1, cross: 3 }, { bi: 0.5, cross: null }, { bi: 0.9, cross: null }], 1, 'zscore');
    check(pure, [[-z, 0, 0], [0, null, -1], [z, null, -1]]);
  });
});

describe('fuseScores rrf', () => {
  it('alpha/(60+rank_cross) + (1-alpha)/(60+rank_bi); uncrossed get no cross term', () => {
    // bi ranks: 0.9 -> 1, 0.7 -> 2, 0.5 -> 3; cross ranks: 3 -> 1, 1 -> 2
    // final: 0.3/61 | 0.7/61 + 0.3/63 | 0.7/62 + 0.3/62 = 1/62
    const f = fuseScores([{ bi: 0.9, cross: null }, { bi: 0.5, cross: 3 }, { bi: 0.7, cross: 1 }], 0.7, 'rrf');
    check(f, [[1 / 61, null, 0.3 / 61], [1 / 63, 1 / 61, 0.7 / 61 + 0.3 / 63], [1 / 62, 1 / 62, 1 / 62]]);
    assert.deepEqual(order(f), [1, 2, 0]);
  });

  it('equal scores take ranks in retrieval order', () => {
    // bi 0.5 0.5 -> ranks 1, 2
    check(fuseScores([{ bi: 0.5, cross: null }, { bi: 0.5, cross: null }], 0, 'rrf'), [[1 / 61, null, 1 / 61], [1 / 62, null, 1 / 62]]);
  });
});

describe('a scored candidate never ties with an unscored one (rankFused)', () => {
  const orderOf = (items: ScorePair[], alpha: number, how: Normalisation) => rankFused(items, fuseScores(items, alpha, how));

  it('minmax N = 2, alpha 1: the weaker cross-scored candidate stays second, not below the unscored', () => {
    // The reported collapse: 13 candidates, the bi top 2 cross-scored; bi top 1 has the weaker cross score.
    // cross 1 (index 0), 5 (index 1) -> crossNorm 0, 1; the 11 unscored also contribute 0 -> tie, scored first.
    const items: ScorePair[] = Array.from({ length: 13 }, (_, i) => ({ bi: 1 - i / 20, cross: i === 0 ? 1 : i === 1 ? 5 : null }));
    const f = fuseScores(items, 1, 'minmax');
    close(f[0]!.final, 0);
    close(f[2]!.final, 0);
    const order = rankFused(items, f);
    assert.deepEqual(order.slice(0, 3), [1, 0, 2]);
    assert.deepEqual(order.slice(2), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  for (const how of NORMALISATIONS) {
    it(`${how}: N = 1 at alpha 1 puts the lone scored candidate first, even below the others on bi`, () => {
      const items: ScorePair[] = [{ bi: 0.9, cross: null }, { bi: 0.2, cross: -3 }, { bi: 0.5, cross: null }];
      assert.deepEqual(orderOf(items, 1, how), [1, 0, 2]);
    });

    it(`${how}: N = 2 at alpha 1 keeps both scored candidates above every unscored one`, () => {
      const items: ScorePair[] = [{ bi: 0.9, cross: null }, { bi: 0.8, cross: 2 }, { bi: 0.7, cross: -2 }, { bi: 0.6, cross: null }];
      assert.deepEqual(orderOf(items, 1, how), [1, 2, 0, 3]);
    });

    it(`${how}: a single candidate gets a finite score and rank 1`, () => {
      for (const item of [{ bi: 0.4, cross: 1 }, { bi: 0.4, cross: null }, { bi: null, cross: null }]) {
        const f = fuseScores([item], 0.7, how);
        assert.ok(Number.isFinite(f[0]!.final));
        assert.deepEqual(rankFused([item], f), [0]);
      }
    });

    it(`${how}: equal scores keep scored before unscored, then retrieval order`, () => {
      // Same bi everywhere; indices 1 and 3 cross-scored with equal logits; alpha 0.5.
      const items: ScorePair[] = [{ bi: 0.5, cross: null }, { bi: 0.5, cross: 2 }, { bi: 0.5, cross: null }, { bi: 0.5, cross: 2 }];
      assert.deepEqual(orderOf(items, 0.5, how), [1, 3, 0, 2]);
    });
  }
});

describe('rank helpers', () => {
  it('rankScored orders present scores best first, ties by index, skips missing', () => {
    assert.deepEqual(rankScored([0.2, null, 0.9, 0.2, Number.NaN]), [2, 0, 3]);
  });
  it('rankOrder is stable on ties', () => {
    assert.deepEqual(rankOrder([1, 3, 3, 2]), [1, 2, 3, 0]);
  });
});
