import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { EvalPoint } from '../../core/contract/api.js';
import type { Collection } from '../../core/eval/collection.js';
import { loadCollection } from '../../core/eval/loaders/detect.js';
import { userLabelsToCollection } from '../../core/eval/loaders/user-labels.js';
import { evaluateRun } from '../../core/eval/metrics.js';
import { paretoFrontier, settingKey } from '../../core/eval/grid.js';
import { runEval, type EvalProgress, type RunEvalOptions } from '../../core/eval/runner.js';
import { LexicalEngine } from './fixtures/lexical-engine.js';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');
let cran: Collection;
// 40 Cranfield queries over all 1400 docs keeps each run well under a second.
const grid = { modes: ['none', 'bi', 'cross', 'mixlm'] as const, ns: [5, 10, 20], alphas: [0, 0.5, 1], k: 50 };
const options = (engine: LexicalEngine, outDir: string, extra: Partial<RunEvalOptions> = {}): RunEvalOptions =>
  ({ collection: cran, engine, ...grid, outDir, ...extra });
const metricsOf = (points: EvalPoint[]) => points.map(({ mode, topN, alpha, ndcg10, mrr10, recall100, map, pareto }) =>
  ({ mode, topN, alpha, ndcg10, mrr10, recall100, map }));

before(async () => {
  const full = await loadCollection(path.join(shared, 'data', 'cranfield'));
  cran = { ...full, queries: full.queries.slice(0, 40) };
});

test('a run indexes, scores each query once, and writes report.json, report.csv, chart.svg and the score cache', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'eval-run-'));
  const engine = new LexicalEngine();
  const events: EvalProgress[] = [];
  const report = await runEval(options(engine, out, { current: { mode: 'mixlm', topN: 10, alpha: 0.5 }, png: true, onProgress: (p) => events.push(p) }));

  assert.equal(engine.indexCalls, 1);
  assert.equal(engine.scoreCalls, 40);
  assert.equal(report.collection, 'cranfield');
  assert.equal(report.queries, 40);
  assert.equal(report.points.length, 3 + 3 * 3);
  assert.equal(report.latencyBasis, 'estimated from measured per-pair cost');
  assert.deepEqual(report.current, { mode: 'mixlm', topN: 10, alpha: 0.5 });
  assert.deepEqual(report.points.map((p) => p.pareto), paretoFrontier(report.points).map((p) => p.pareto));
  for (const p of report.points) {
    for (const v of [p.ndcg10, p.mrr10, p.recall100, p.map]) assert.ok(v >= 0 && v <= 1);
  }

  // The none point is exactly the metrics of the engine's retrieval order, computed independently.
  const direct = new LexicalEngine();
  await direct.indexCollection(cran, () => {});
  const rankings = new Map<string, string[]>();
  for (const q of cran.queries) {
    // The K candidates in retrieval order, then the tail a 1000 deep retrieval adds (MAP's depth).
    const s = await direct.scoreQuery(q.text, { k: 50, maxN: 0, depth: 1000 });
    rankings.set(q.id, [...s.candidates.map((c) => c.docId), ...s.tail!]);
  }
  const expected = evaluateRun(rankings, new Map(cran.queries.map((q) => [q.id, cran.qrels.get(q.id)!])));
  const none = report.points.find((p) => p.mode === 'none')!;
  assert.deepEqual({ ndcg10: none.ndcg10, mrr10: none.mrr10, recall100: none.recall100, map: none.map }, expected.mean);
  // The idf-weighted "cross" score really reorders: it differs from plain overlap order.
  assert.notEqual(report.points.find((p) => p.mode === 'cross')!.ndcg10, none.ndcg10);

  assert.deepEqual(JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')), report);
  assert.match(await readFile(path.join(out, 'report.csv'), 'utf8'), /^mixlm,10,0\.50,.*,true$/m);
  assert.match(await readFile(path.join(out, 'chart.svg'), 'utf8'), /^<svg /);
  assert.equal((await readFile(path.join(out, 'chart.png'))).readUInt32BE(16), 760); // PNG width from IHDR
  const cache = (await readFile(path.join(out, 'scores.jsonl'), 'utf8')).trim().split('\n');
  assert.equal(cache.length, 1 + 40);
  // cross mode is in the grid, so every one of the k = 50 candidates was cross-scored
  assert.equal(JSON.parse(cache[0]!).maxN, 50);
  assert.ok(JSON.parse(cache[1]!).candidates.every((c: { cross: number | null }) => c.cross !== null));

  assert.equal(events[0]!.phase, 'indexing');
  const scoring = events.filter((e) => e.phase === 'scoring');
  assert.deepEqual([scoring[0]!.done, scoring.at(-1)!.done, scoring.at(-1)!.total], [0, 40, 40]);
  assert.equal(events.at(-1)!.phase, 'done');
});

test('an interrupted run resumes: only the missing queries are scored and the result equals a clean run', async () => {
  const clean = await runEval(options(new LexicalEngine(), await mkdtemp(path.join(tmpdir(), 'eval-clean-'))));

  const out = await mkdtemp(path.join(tmpdir(), 'eval-resume-'));
  const stop = new AbortController();
  const first = new LexicalEngine();
  await assert.rejects(
    runEval(options(first, out, { onProgress: (p) => { if (p.phase === 'scoring' && p.done === 15) stop.abort(); }, signal: stop.signal })),
    (e: any) => e.code === 'eval-cancelled' && /15 of 40/.test(e.message),
  );
  assert.equal(first.scoreCalls, 15);
  // A crash in the middle of a write leaves a cut-off line: it is dropped, not parsed.
  await appendFile(path.join(out, 'scores.jsonl'), '{"queryId":"16","candidates":[{"do');

  const second = new LexicalEngine();
  const events: EvalProgress[] = [];
  const resumed = await runEval(options(second, out, { onProgress: (p) => events.push(p) }));
  assert.equal(second.scoreCalls, 25);
  assert.equal(events.find((e) => e.phase === 'scoring')!.done, 15);
  assert.deepEqual(metricsOf(resumed.points), metricsOf(clean.points));
  assert.equal((await readFile(path.join(out, 'scores.jsonl'), 'utf8')).trim().split('\n').length, 1 + 40);

  // Everything cached: no indexing, no scoring.
  const third = new LexicalEngine();
  await runEval(options(third, out));
  assert.deepEqual([third.indexCalls, third.scoreCalls], [0, 0]);
});

test('a cache made with other models or settings is never mixed in: it is rescored, and the report says why', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'eval-mismatch-'));
  await writeFile(path.join(out, 'scores.jsonl'), `${JSON.stringify({ kind: 'localrag-eval-scores', version: 1, collection: 'cranfield', k: 100, maxN: 100 })}\n`);
  const first = new LexicalEngine();
  const old = await runEval(options(first, out));
  assert.equal(first.scoreCalls, 40);
  assert.match(old.rescoredBecause ?? '', /another version/);

  // Same run again: everything reused.
  const same = new LexicalEngine();
  assert.equal((await runEval(options(same, out))).scoresReused, 40);
  assert.equal(same.scoreCalls, 0);

  // Another model under the same name (its fingerprint changed): every query is scored afresh.
  const retrained = new LexicalEngine();
  retrained.fingerprint = 'lexical-2';
  const report = await runEval(options(retrained, out));
  assert.equal(retrained.scoreCalls, 40);
  assert.equal(report.scoresReused, 0);
  assert.match(report.rescoredBecause ?? '', /cross-encoder idf-overlap lexical-1 \(now lexical-2\)/);
  assert.deepEqual(report.models, [{ role: 'cross-encoder', id: 'idf-overlap', fingerprint: 'lexical-2', dir: null }]);
  assert.equal(report.retrieval, 'bm25');

  // Fewer modes need a smaller N: the scores made for N = K serve as they are.
  const narrower = new LexicalEngine();
  narrower.fingerprint = 'lexical-2';
  const subset = await runEval(options(narrower, out, { modes: ['none', 'mixlm'], ns: [5] }));
  assert.equal(narrower.scoreCalls, 0);
  assert.deepEqual(metricsOf(subset.points), metricsOf(report.points.filter((p) => p.mode === 'none' || (p.mode === 'mixlm' && p.topN === 5))));

  // A larger K is another run too.
  const wider = new LexicalEngine();
  assert.match((await runEval(options(wider, out, { k: 60 }))).rescoredBecause ?? '', /k 50 \(now 60\)/);
  assert.equal(wider.scoreCalls, 40);
});

test('labelled questions run against the already-indexed library: no indexing, chunk ids as doc ids', async () => {
  const labels = userLabelsToCollection([
    { question: 'heat conduction in composite slabs', relevantChunkIds: [5] },
    { question: 'never answered', relevantChunkIds: [] },
  ]);
  // The "library": Cranfield indexed with chunk ids = doc numbers.
  const engine = new LexicalEngine();
  await engine.indexCollection(cran, () => {});
  const out = await mkdtemp(path.join(tmpdir(), 'eval-labels-'));
  const report = await runEval({ collection: labels, engine, modes: ['none', 'mixlm'], ns: [5], alphas: [0.5], k: 20, outDir: out });
  assert.equal(engine.indexCalls, 1); // only the call above
  assert.equal(engine.scoreCalls, 1); // the unanswerable question is excluded, not scored
  assert.equal(report.queries, 1);
  assert.equal(report.excludedQueries, 1);
  assert.ok(report.points.find((p) => settingKey(p) === settingKey({ mode: 'none', topN: 0, alpha: 0 }))!.recall100 === 1);
});

test('a collection where no question has a relevant document is refused before anything is scored or written', async () => {
  const engine = new LexicalEngine();
  const out = await mkdtemp(path.join(tmpdir(), 'eval-unjudged-'));
  const unjudged = userLabelsToCollection([{ question: 'never answered', relevantChunkIds: [] }]);
  await assert.rejects(runEval({ collection: unjudged, engine, outDir: out }), (e: any) => e.code === 'eval-no-judged-queries' && e.appError.params.queries === 1);
  await assert.rejects(runEval({ collection: userLabelsToCollection([]), engine, outDir: out }), { code: 'eval-no-judged-queries' });
  assert.equal(engine.scoreCalls, 0);
  await assert.rejects(readFile(path.join(out, 'report.json')), { code: 'ENOENT' });
});
