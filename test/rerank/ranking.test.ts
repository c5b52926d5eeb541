// The one ranking rule, by hand: targets per mode, a score cache larger than the setting, and the fallbacks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossTargets, rankCandidates, type RankSetting } from '../../core/rerank/ranking.js';

const setting = (s: Partial<RankSetting>): RankSetting => ({ mode: 'mixlm', topN: 2, alpha: 0.5, normalisation: 'minmax', ...s });

describe('rankCandidates', () => {
  // Retrieval order a b c d; bi 0.2 0.8 0.5 0.5 (c and d tie); cross known for every candidate (a cache for N = 4).
  const bi = [0.2, 0.8, 0.5, 0.5];
  const cross = [1, -1, 3, 2];

  it('targets: all K for cross, the bi top N for mixlm (ties and missing bi in retrieval order), none otherwise', () => {
    assert.deepEqual(crossTargets({ mode: 'cross', topN: 1 }, bi), [0, 1, 2, 3]);
    assert.deepEqual(crossTargets({ mode: 'mixlm', topN: 3 }, bi), [1, 2, 3]);
    assert.deepEqual(crossTargets({ mode: 'mixlm', topN: 3 }, [null, 0.1, null, 0.3]), [3, 1, 0]);
    assert.deepEqual(crossTargets({ mode: 'bi', topN: 3 }, bi), []);
    assert.deepEqual(crossTargets({ mode: 'none', topN: 3 }, bi), []);
  });

  it('uses only the cross scores of its targets, whatever else the cache holds', () => {
    // mixlm N=2: targets b, c. crossNorm b 0, c 1 (a, d none = 0); biNorm (0.2..0.8) a 0, b 1, c .5, d .5.
    // final a 0, b .5, c .75, d .25 -> c b d a
    const r = rankCandidates(setting({}), bi, cross);
    assert.deepEqual(r.order, [2, 1, 3, 0]);
    assert.deepEqual(r.cross, [null, -1, 3, null]);
    // alpha 1: c 1, b 0, a 0, d 0 -> c, then b (scored) before a and d (retrieval order)
    assert.deepEqual(rankCandidates(setting({ alpha: 1 }), bi, cross).order, [2, 1, 0, 3]);
  });

  it('none keeps retrieval order, bi ignores cross scores, cross uses all of them', () => {
    assert.deepEqual(rankCandidates(setting({ mode: 'none' }), bi, cross).order, [0, 1, 2, 3]);
    assert.deepEqual(rankCandidates(setting({ mode: 'bi' }), bi, cross).order, [1, 2, 3, 0]);
    assert.deepEqual(rankCandidates(setting({ mode: 'cross' }), bi, cross).order, [2, 3, 0, 1]);
  });

  it('no cross score for any target (model missing or failed): bi order in every mode', () => {
    const none = [null, null, null, null];
    for (const mode of ['mixlm', 'cross'] as const) assert.deepEqual(rankCandidates(setting({ mode }), bi, none).order, [1, 2, 3, 0]);
  });
});
