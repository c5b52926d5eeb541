import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Qrels } from '../../core/eval/collection.js';
import { averagePrecision, evaluateRun, ndcgAt, queryMetrics, recallAt, reciprocalRankAt } from '../../core/eval/metrics.js';
import { loadCollection } from '../../core/eval/loaders/detect.js';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

// d1 grade 3, d2 grade 1, d3 judged non-relevant, d4 grade 2, d5 grade 1 (never retrieved); x is unjudged.
const judged = new Map([['d1', 3], ['d2', 1], ['d3', 0], ['d4', 2], ['d5', 1]]);
const ranking = ['x', 'd2', 'd1', 'd3', 'd4'];

test('hand-computed metrics for one ranking (unjudged x counts as non-relevant)', () => {
  // MRR@10: the first relevant document (d2) is at rank 2.
  close(reciprocalRankAt(ranking, judged, 10), 1 / 2);
  // DCG@10 = 0/log2(2) + 1/log2(3) + 3/log2(4) + 0/log2(5) + 2/log2(6)
  const dcg = 1 / Math.log2(3) + 3 / 2 + 2 / Math.log2(6);
  // IDCG@10 over all judged grades 3, 2, 1, 1 = 3/1 + 2/log2(3) + 1/log2(4) + 1/log2(5)
  const idcg = 3 + 2 / Math.log2(3) + 1 / 2 + 1 / Math.log2(5);
  close(ndcgAt(ranking, judged, 10), dcg / idcg);
  assert.ok(Math.abs(dcg / idcg - 0.559387) < 1e-6); // 2.904636 / 5.192537
  // Recall@100: 3 of the 4 relevant (d5 missing).
  close(recallAt(ranking, judged, 100), 3 / 4);
  // AP: relevant at ranks 2, 3, 5 -> precisions 1/2, 2/3, 3/5, divided by all 4 relevant.
  close(averagePrecision(ranking, judged), (1 / 2 + 2 / 3 + 3 / 5) / 4);
});

test('cut-offs apply: nothing relevant in the top 1, half of it in the top 3', () => {
  assert.equal(reciprocalRankAt(ranking, judged, 1), 0);
  close(recallAt(ranking, judged, 3), 2 / 4);
  // nDCG@2 = (1/log2(3)) / (3 + 2/log2(3))
  close(ndcgAt(ranking, judged, 2), (1 / Math.log2(3)) / (3 + 2 / Math.log2(3)));
});

test('ties: the ranking is taken as given, equally graded documents are interchangeable', () => {
  const sameGrade = new Map([['a', 1], ['b', 1], ['c', 2]]);
  assert.equal(ndcgAt(['a', 'b', 'c'], sameGrade), ndcgAt(['b', 'a', 'c'], sameGrade));
  assert.notEqual(ndcgAt(['a', 'c', 'b'], sameGrade), ndcgAt(['c', 'a', 'b'], sameGrade));
  close(ndcgAt(['c', 'a', 'b'], sameGrade), 1);
});

test('a repeated document counts once, at its first rank', () => {
  // Deduplicated ranking is [d2, d1]: AP = (1/1 + 2/2) / 4; counting d2 twice would give (1 + 1 + 1) / 4.
  close(averagePrecision(['d2', 'd2', 'd1'], judged), 2 / 4);
  close(recallAt(['d2', 'd2', 'd2'], judged, 100), 1 / 4);
});

test('missing judgements and empty rankings score 0, never NaN', () => {
  const m = queryMetrics('q', ['x', 'y'], judged);
  assert.deepEqual({ ...m }, { queryId: 'q', relevant: 4, ndcg10: 0, mrr10: 0, recall100: 0, map: 0 });
  assert.equal(queryMetrics('q', [], judged).ndcg10, 0);
});

test('queries without relevant documents are excluded from the means; unranked judged queries count as 0', () => {
  const qrels: Qrels = new Map([
    ['q1', new Map([['a', 1]])],
    ['q2', new Map([['b', 0], ['c', -1]])], // judged, nothing relevant: excluded
    ['q3', new Map([['d', 2]])], // relevant but the run has no ranking for it: 0
  ]);
  const run = evaluateRun(new Map([['q1', ['a']], ['q2', ['b']]]), qrels);
  assert.deepEqual(run.excluded, ['q2']);
  assert.equal(run.queries, 2);
  // q1 is perfect (1 everywhere), q3 scores 0: every mean is (1 + 0) / 2.
  assert.deepEqual(run.mean, { ndcg10: 0.5, mrr10: 0.5, recall100: 0.5, map: 0.5 });
});

test('on Cranfield, the ideal ranking of every query scores 1 on every metric', async () => {
  const cran = await loadCollection(path.join(shared, 'data', 'cranfield'));
  const ideal = new Map([...cran.qrels].map(([q, judged]) =>
    [q, [...judged].filter(([, g]) => g > 0).sort((a, b) => b[1] - a[1]).map(([d]) => d)] as const));
  const run = evaluateRun(ideal, cran.qrels);
  assert.equal(run.queries, 225);
  assert.deepEqual(run.excluded, []);
  for (const value of Object.values(run.mean)) close(value, 1);
  // Reversed, the same documents lose graded quality; recall and MRR (every retrieved one is relevant) stay 1.
  const reversed = evaluateRun(new Map([...ideal].map(([q, r]) => [q, [...r].reverse()])), cran.qrels);
  close(reversed.mean.recall100, 1);
  close(reversed.mean.mrr10, 1);
  assert.ok(reversed.mean.ndcg10 < 0.99);
});
