import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalPoint } from '../../core/contract/api.js';
import type { QueryScores } from '../../core/eval/cached-scores.js';
import type { Qrels } from '../../core/eval/collection.js';
import { computeGrid, DEFAULT_ALPHAS, estimateLatencyMs, gridSettings, paretoFrontier, rankCachedChunks, rerankCached, settingKey } from '../../core/eval/grid.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

// Query A, candidates in retrieval order a, b, c, d; c and d tie on bi.
const A: QueryScores = {
  queryId: 'A',
  candidates: [
    { chunkId: 2, docId: 'b', retrievalRank: 2, bi: 0.8, cross: -1 }, // given out of order on purpose: retrievalRank decides
    { chunkId: 1, docId: 'a', retrievalRank: 1, bi: 0.2, cross: 1 },
    { chunkId: 3, docId: 'c', retrievalRank: 3, bi: 0.5, cross: 3 },
    { chunkId: 4, docId: 'd', retrievalRank: 4, bi: 0.5, cross: 2 },
  ],
  timings: { retrieveMs: 10, biMs: 2, crossMs: 40, crossPairs: 4 }, // 10 ms per pair
};
const B: QueryScores = {
  queryId: 'B',
  candidates: [{ chunkId: 5, docId: 'e', retrievalRank: 1, bi: 0.9, cross: 0.1 }, { chunkId: 6, docId: 'f', retrievalRank: 2, bi: 0.1, cross: 0.9 }],
  timings: { retrieveMs: 20, biMs: 4, crossMs: 8, crossPairs: 2 }, // 4 ms per pair
};
const C: QueryScores = { queryId: 'C', candidates: [{ chunkId: 5, docId: 'e', retrievalRank: 1, bi: 1, cross: 1 }], timings: { retrieveMs: 1000, biMs: 0, crossMs: 0, crossPairs: 1 } };
const qrels: Qrels = new Map([
  ['A', new Map([['c', 3], ['a', 1]])],
  ['B', new Map([['f', 1]])],
  ['C', new Map([['e', 0]])], // nothing relevant: excluded from every mean (and from the latency median)
]);

const order = (mode: 'none' | 'bi' | 'cross' | 'mixlm', topN = 0, alpha = 0) => rerankCached(A, { mode, topN, alpha }, 'minmax');

test('each mode reorders the cached candidates as the reranker would, ties kept in retrieval order', () => {
  assert.deepEqual(order('none'), ['a', 'b', 'c', 'd']);
  // bi: b .8, then c and d tie at .5 (retrieval order: c first), then a .2
  assert.deepEqual(order('bi'), ['b', 'c', 'd', 'a']);
  // cross scores all K: c 3, d 2, a 1, b -1
  assert.deepEqual(order('cross'), ['c', 'd', 'a', 'b']);
  // mixlm N=2, alpha .5: targets are the bi top 2 = b, c. crossNorm b 0, c 1 (others none = 0);
  // biNorm over all four (min .2, max .8): a 0, b 1, c .5, d .5.
  // final a = 0, b = .5*0 + .5*1 = .5, c = .5*1 + .5*.5 = .75, d = .5*.5 = .25
  assert.deepEqual(order('mixlm', 2, 0.5), ['c', 'b', 'd', 'a']);
  // alpha 0 is the bi order; alpha 1 puts c (crossNorm 1) first and the rest tie at 0: b, cross-scored, before
  // the unscored a and d (retrieval order)
  assert.deepEqual(order('mixlm', 2, 0), order('bi'));
  assert.deepEqual(order('mixlm', 2, 1), ['c', 'b', 'a', 'd']);
});

test('settings a mode ignores collapse: 1 none + 1 bi + 1 cross + N x alpha mixlm', () => {
  const s = gridSettings(['none', 'bi', 'cross', 'mixlm'], [5, 10], [0, 0.5, 1]);
  assert.equal(s.length, 3 + 2 * 3);
  assert.deepEqual(s[2], { mode: 'cross', topN: 0, alpha: 0 });
  assert.equal(settingKey({ mode: 'cross', topN: 20, alpha: 0.7 }), settingKey({ mode: 'cross', topN: 0, alpha: 0 }));
  assert.notEqual(settingKey({ mode: 'mixlm', topN: 20, alpha: 0.7 }), settingKey({ mode: 'mixlm', topN: 20, alpha: 0.6 }));
  assert.deepEqual(DEFAULT_ALPHAS, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
});

test('latency is estimated from measured stage costs and the per-pair cross cost', () => {
  assert.equal(estimateLatencyMs(A.timings, { mode: 'none', topN: 0, alpha: 0 }, 4), 10);
  assert.equal(estimateLatencyMs(A.timings, { mode: 'bi', topN: 0, alpha: 0 }, 4), 12);
  assert.equal(estimateLatencyMs(A.timings, { mode: 'mixlm', topN: 2, alpha: 0.5 }, 4), 10 + 2 + 2 * 10);
  assert.equal(estimateLatencyMs(A.timings, { mode: 'mixlm', topN: 100, alpha: 0.5 }, 4), 10 + 2 + 4 * 10); // N > K
  assert.equal(estimateLatencyMs(A.timings, { mode: 'cross', topN: 0, alpha: 0 }, 4), 10 + 2 + 4 * 10);
});

test('the grid gives metrics and p50 latency per setting, computed by hand for two judged queries', () => {
  const grid = computeGrid([A, B, C], qrels, { ns: [1, 2], alphas: [0, 0.5, 1] });
  assert.equal(grid.queries, 2);
  assert.equal(grid.points.length, 9);
  const at = (mode: EvalPoint['mode'], topN = 0, alpha = 0) => grid.points.find((p) => settingKey(p) === settingKey({ mode, topN, alpha }))!;

  // mixlm N=2 alpha .5 -> A: [c, b, d, a] with c grade 3, a grade 1.
  //   DCG = 3/log2(2) + 1/log2(5); IDCG = 3 + 1/log2(3); RR = 1; recall 1; AP = (1/1 + 2/4) / 2 = .75
  // B: targets e, f (N=2 covers both). crossNorm e 0, f 1; biNorm e 1, f 0 -> e .5, f .5: tie, retrieval order [e, f]
  //   f (grade 1) at rank 2: nDCG = (1/log2(3)) / 1; RR = 1/2; recall 1; AP = 1/2
  const p = at('mixlm', 2, 0.5);
  close(p.ndcg10, ((3 + 1 / Math.log2(5)) / (3 + 1 / Math.log2(3)) + 1 / Math.log2(3)) / 2);
  close(p.mrr10, (1 + 1 / 2) / 2);
  close(p.recall100, 1);
  close(p.map, (0.75 + 0.5) / 2);
  // latency: A 10 + 2 + 2*10 = 32, B 20 + 4 + 2*4 = 32 -> median 32 (C is not judged, so its 1000 ms is left out)
  assert.equal(p.p50Ms, 32);
  // none: A 10, B 20 -> 15; mixlm N=1: A 10+2+10 = 22, B 20+4+4 = 28 -> 25; cross: A 52, B 32 -> 42
  assert.equal(at('none').p50Ms, 15);
  assert.equal(at('mixlm', 1, 0.5).p50Ms, 25);
  assert.equal(at('cross').p50Ms, 42);
  // cross ranks A [c, d, a, b] and B [f, e]: both first results relevant
  close(at('cross').mrr10, 1);
  // none ranks A [a, b, c, d] (RR 1) and B [e, f] (RR 1/2)
  close(at('none').mrr10, 0.75);
  // The report flags come from paretoFrontier on (p50Ms, ndcg10).
  assert.deepEqual(grid.points.map((q) => q.pareto), paretoFrontier(grid.points).map((q) => q.pareto));
  assert.ok(at('none').pareto, 'the fastest setting is never dominated on latency');
});

test('paretoFrontier keeps the points nothing beats (lower x, higher y); equal points both stay', () => {
  const pt = (p50Ms: number, ndcg10: number, mrr10 = 0): EvalPoint =>
    ({ mode: 'mixlm', topN: 5, alpha: 0, ndcg10, mrr10, recall100: 0, map: 0, p50Ms, pareto: false });
  const points = [pt(10, 0.3), pt(20, 0.5), pt(15, 0.25), pt(30, 0.5), pt(40, 0.6), pt(20, 0.5)];
  // (15, .25) is beaten by (10, .3); (30, .5) by (20, .5) which is as good and faster.
  assert.deepEqual(paretoFrontier(points).map((p) => p.pareto), [true, true, false, false, true, true]);
  assert.equal(points[2]!.pareto, false, 'inputs are not mutated');
  const byMrr = [pt(10, 0, 0.9), pt(20, 0, 0.5)];
  assert.deepEqual(paretoFrontier(byMrr, 'p50Ms', 'mrr10').map((p) => p.pareto), [true, false]);
});

test('missing cross scores: a short cache is an error, no cross-encoder at all skips the modes that need it', () => {
  const short: QueryScores = { ...A, candidates: A.candidates.map((c) => (c.docId === 'c' ? { ...c, cross: null } : c)) };
  // bi top 1 is b (scored): fine; bi top 2 adds c, whose cross score is missing.
  assert.deepEqual(rerankCached(short, { mode: 'mixlm', topN: 1, alpha: 0.5 }, 'minmax').length, 4);
  assert.throws(() => rerankCached(short, { mode: 'mixlm', topN: 2, alpha: 0.5 }, 'minmax'), { code: 'eval-cache-short' });

  const noCross = [A, B].map((q) => ({ ...q, candidates: q.candidates.map((c) => ({ ...c, cross: null })) }));
  const grid = computeGrid(noCross, qrels, { ns: [2], alphas: [0.5] });
  assert.deepEqual(grid.points.map((p) => p.mode), ['none', 'bi']);
  assert.deepEqual(grid.skipped.map((s) => s.mode), ['cross', 'mixlm']);
  assert.match(grid.skipped[0]!.reason, /cross-encoder missing/);
  // Scores made for N = 0 were not cross-scored on purpose: the reason says so.
  assert.match(computeGrid(noCross, qrels, { ns: [2], alphas: [0.5], maxN: 0 }).skipped[0]!.reason, /N = 0/);
});

test('without bi scores, bi is skipped (it would equal none) and mixlm cross-scores the retrieval top N', () => {
  const noBi: QueryScores = { ...A, candidates: A.candidates.map((c) => ({ ...c, bi: null })) };
  // targets: retrieval top 2 = a (cross 1), b (cross -1) -> a 1, b 0, rest 0 -> [a, b, c, d]
  assert.deepEqual(rerankCached(noBi, { mode: 'mixlm', topN: 2, alpha: 1 }, 'minmax'), ['a', 'b', 'c', 'd']);
  const grid = computeGrid([noBi], qrels, { ns: [2], alphas: [1] });
  assert.deepEqual(grid.skipped, [{ mode: 'bi', reason: 'no bi-encoder scores (embedder missing), so it equals none' }]);
});

test('ranking is on chunks: a document counts once at its best chunk, the retrieval tail follows for the metrics', () => {
  // Chunks in retrieval order: x1 (doc x), y1 (doc y), x2 (doc x), z1 (doc z); mixlm N=2 targets the bi top 2 = x2, z1.
  const Q: QueryScores = {
    queryId: 'Q',
    candidates: [
      { chunkId: 11, docId: 'x', retrievalRank: 1, bi: 0.1, cross: null },
      { chunkId: 21, docId: 'y', retrievalRank: 2, bi: 0.3, cross: null },
      { chunkId: 12, docId: 'x', retrievalRank: 3, bi: 0.9, cross: -2 },
      { chunkId: 31, docId: 'z', retrievalRank: 4, bi: 0.7, cross: 4 },
    ],
    tail: ['x', 'y', 'z', 'w', 'v'],
    timings: { retrieveMs: 1, biMs: 1, crossMs: 2, crossPairs: 2 },
  };
  // alpha 1: z1 (crossNorm 1), x2 (0, scored), then x1 and y1 (unscored, retrieval order)
  assert.deepEqual(rankCachedChunks(Q, { mode: 'mixlm', topN: 2, alpha: 1 }, 'minmax').map((c) => c.chunkId), [31, 12, 11, 21]);
  assert.deepEqual(rerankCached(Q, { mode: 'mixlm', topN: 2, alpha: 1 }, 'minmax'), ['z', 'x', 'y', 'w', 'v']);
  // none: x (chunk 1), y, z, then the tail's new documents w, v
  assert.deepEqual(rerankCached(Q, { mode: 'none', topN: 0, alpha: 0 }, 'minmax'), ['x', 'y', 'z', 'w', 'v']);
  // Recall counts documents: w (only in the tail) is found within 100.
  const grid = computeGrid([Q], new Map([['Q', new Map([['w', 1], ['z', 1]])]]), { modes: ['none'], ns: [2], alphas: [1] });
  assert.equal(grid.points[0]!.recall100, 1);
});
