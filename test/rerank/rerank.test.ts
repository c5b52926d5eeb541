// The Reranker end to end on real ONNX sessions: modes, the score cache behind refuse, and degraded paths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RetrieveResult, SearchResult } from '../../core/contract/api.js';
import { CrossEncoder } from '../../core/rerank/cross-encoder.js';
import { fuseScores, rankOrder, rankScored } from '../../core/rerank/fuse.js';
import { Lru } from '../../core/rerank/lru.js';
import { Reranker, RerankError } from '../../core/rerank/rerank.js';
import { tempDir } from '../support/temp.js';
import { CROSS_ID, params, retrievalFor, testSettings, tinyModels } from './setup.js';

const question = 'what are the structural and aeroelastic problems associated with flight of high speed aircraft';
const K = 12;
const ids = (r: SearchResult) => r.candidates.map((c) => c.chunkId);

describe('Reranker', () => {
  let encoder: CrossEncoder;
  let retrieval: RetrieveResult;
  let noVectors: RetrieveResult;
  before(async () => {
    const dirs = await tinyModels();
    encoder = await CrossEncoder.load({ id: CROSS_ID, modelDir: dirs.crossEncoderDir, settings: testSettings });
    retrieval = await retrievalFor(question, K, { embedderDir: dirs.embedderDir });
    noVectors = await retrievalFor(question, K, { embedderDir: dirs.embedderDir, withVectors: false });
  });
  after(async () => { await encoder.close(); });

  it('mixlm cross-scores exactly the bi top N and orders by the fused score', async () => {
    const r = await new Reranker({ crossEncoder: encoder }).rerank({ queryId: 'q1', question, retrieval, params: params({ topN: 5, finalK: 3 }) });
    const bi = retrieval.candidates.map((c) => c.denseScore);
    const biTop = new Set(rankScored(bi).slice(0, 5).map((i) => retrieval.candidates[i]!.chunkId));
    assert.deepEqual(new Set(r.candidates.filter((c) => c.crossScored).map((c) => c.chunkId)), biTop);
    // The same order recomputed from the reported scores with the pure fusion function.
    const byRetrieval = [...r.candidates].sort((a, b) => a.retrievalRank - b.retrievalRank);
    const fused = fuseScores(byRetrieval.map((c) => ({ bi: c.biScore, cross: c.crossScore })), 0.7, 'minmax');
    assert.deepEqual(ids(r), rankOrder(fused.map((f) => f.final)).map((i) => byRetrieval[i]!.chunkId));
    r.candidates.forEach((c, i) => assert.equal(c.rankAfter, i + 1));
    assert.deepEqual(r.candidates.map((c) => c.rankBefore).sort((a, b) => a - b), Array.from({ length: K }, (_, i) => i + 1));
    assert.deepEqual(r.top, r.candidates.slice(0, 3));
    assert.deepEqual(r.timings.map((t) => t.stage), ['bi', 'cross', 'fusion']);
    const cross = r.timings.find((t) => t.stage === 'cross')!;
    assert.equal(cross.provider, 'cpu');
    assert.equal(cross.model, CROSS_ID);
    assert.equal(cross.batches, encoder.quantized ? 5 : 1, 'int8 scores one pair per call; fp32 batches the 5');
    assert.ok((cross.tokens ?? 0) > 0);
    assert.equal(r.provider, 'cpu');
    assert.deepEqual(r.cross, { status: 'ok' });
    assert.equal(r.mode, 'mixlm');
  });

  it('the same question twice gives the same order, the second time from the cache', async () => {
    const reranker = new Reranker({ crossEncoder: encoder });
    const a = await reranker.rerank({ queryId: 'a', question, retrieval, params: params() });
    const pairs = encoder.pairsScored;
    const b = await reranker.rerank({ queryId: 'b', question, retrieval, params: params() });
    assert.deepEqual(ids(b), ids(a));
    assert.equal(encoder.pairsScored, pairs);
    assert.equal(b.timings.find((t) => t.stage === 'cross')!.note, 'cached');
    // A fresh reranker (no cache) computes the same order again.
    const c = await new Reranker({ crossEncoder: encoder }).rerank({ queryId: 'c', question, retrieval, params: params() });
    assert.deepEqual(ids(c), ids(a));
  });

  it('refuse re-fuses alpha, normalisation and k without calling the model', async () => {
    const reranker = new Reranker({ crossEncoder: encoder });
    const first = await reranker.rerank({ queryId: 'r', question, retrieval, params: params({ topN: 6 }) });
    const calls = encoder.calls;
    const pure = await reranker.refuse('r', { alpha: 1, normalisation: 'sigmoid', finalK: 5 });
    assert.equal(encoder.calls, calls);
    assert.equal(pure.alpha, 1);
    assert.equal(pure.top.length, 5);
    // alpha 1, sigmoid (uncrossed sit at 0, below every sigmoid): the six cross-scored lead, by their cross logit.
    const crossed = first.candidates.filter((c) => c.crossScored).sort((x, y) => y.crossScore! - x.crossScore!).map((c) => c.chunkId);
    assert.deepEqual(ids(pure).slice(0, 6), crossed);
    const z = await reranker.refuse('r', { normalisation: 'zscore', alpha: 0.7 });
    assert.equal(encoder.calls, calls);
    assert.ok(z.candidates.every((c) => Number.isFinite(c.finalScore)));
    const bi = await reranker.refuse('r', { alpha: 0, normalisation: 'rrf' });
    assert.equal(encoder.calls, calls);
    assert.deepEqual(ids(bi), rankScored(retrieval.candidates.map((c) => c.denseScore)).map((i) => retrieval.candidates[i]!.chunkId));
    assert.equal(bi.finalK, 5, 'refuse keeps the earlier parameters it is not given');
  });

  it('raising N scores only the newly included candidates; cross mode then the rest', async () => {
    const reranker = new Reranker({ crossEncoder: encoder });
    await reranker.rerank({ queryId: 'n', question, retrieval, params: params({ topN: 4 }) });
    const before = encoder.pairsScored;
    const wider = await reranker.refuse('n', { topN: 9 });
    assert.equal(encoder.pairsScored - before, 5);
    assert.equal(wider.candidates.filter((c) => c.crossScored).length, 9);
    assert.match(wider.timings.find((t) => t.stage === 'cross')!.note ?? '', /5 scored, 4 cached/);
    const all = await reranker.refuse('n', { mode: 'cross' });
    assert.equal(encoder.pairsScored - before, K - 4);
    assert.ok(all.candidates.every((c) => c.crossScored));
    // Cross mode is the cross-encoder's order alone.
    const byLogit = [...all.candidates].sort((x, y) => (y.crossScore! - x.crossScore!) || (x.retrievalRank - y.retrievalRank));
    assert.deepEqual(ids(all), byLogit.map((c) => c.chunkId));
  });

  it('none keeps retrieval order; bi orders by the stored cosine', async () => {
    const reranker = new Reranker({ crossEncoder: encoder });
    const calls = encoder.calls;
    const none = await reranker.rerank({ queryId: 'x', question, retrieval, params: params({ mode: 'none' }) });
    assert.deepEqual(ids(none), retrieval.candidates.map((c) => c.chunkId));
    const bi = await reranker.refuse('x', { mode: 'bi' });
    assert.deepEqual(ids(bi), rankScored(retrieval.candidates.map((c) => c.denseScore)).map((i) => retrieval.candidates[i]!.chunkId));
    assert.equal(encoder.calls, calls, 'none and bi never run the cross-encoder');
    assert.ok(bi.candidates.every((c) => !c.crossScored && c.crossScore === null));
  });

  it('no stored vectors: dense is model-missing, bi keeps retrieval order, mixlm crosses the retrieval top N', async () => {
    const reranker = new Reranker({ crossEncoder: encoder });
    const bi = await reranker.rerank({ queryId: 'v', question, retrieval: noVectors, params: params({ mode: 'bi' }) });
    assert.equal(bi.dense.status, 'model-missing');
    assert.deepEqual(ids(bi), noVectors.candidates.map((c) => c.chunkId));
    const mix = await reranker.refuse('v', { mode: 'mixlm', topN: 4 });
    assert.deepEqual(mix.candidates.filter((c) => c.crossScored).map((c) => c.retrievalRank).sort((a, b) => a - b), [1, 2, 3, 4]);
    assert.ok(mix.candidates.every((c) => c.biNorm === null && c.biScore === null));
    // Stored vectors said ok by retrieval but absent on every candidate: also flagged.
    const silent = await reranker.rerank({ queryId: 'w', question, retrieval: { ...noVectors, dense: { status: 'ok' } }, params: params({ mode: 'bi' }) });
    assert.equal(silent.dense.status, 'model-missing');
  });

  it('a missing cross-encoder model degrades mixlm and cross to bi order, never throws', async (t) => {
    const reranker = await Reranker.open({ id: CROSS_ID, modelDir: tempDir(), settings: testSettings });
    assert.equal(reranker.crossEncoder, null);
    const biOrder = rankScored(retrieval.candidates.map((c) => c.denseScore)).map((i) => retrieval.candidates[i]!.chunkId);
    for (const mode of ['mixlm', 'cross'] as const) {
      const r = await reranker.rerank({ queryId: mode, question, retrieval, params: params({ mode }) });
      const state = r.cross;
      assert.ok(state.status === 'model-missing', `cross state ${state.status}`);
      assert.equal(state.error.code, 'cross-encoder-missing');
      assert.ok(state.error.action);
      assert.deepEqual(ids(r), biOrder);
      assert.ok(r.candidates.every((c) => !c.crossScored));
      assert.equal(r.timings.find((t) => t.stage === 'cross')!.note, 'model missing');
      assert.equal(r.provider, 'none');
    }
    await reranker.close();
  });

  it('Reranker.open loads a present model', async () => {
    const dirs = await tinyModels();
    const reranker = await Reranker.open({ id: CROSS_ID, modelDir: dirs.crossEncoderDir, settings: testSettings });
    assert.deepEqual(reranker.crossState, { status: 'ok' });
    assert.ok(reranker.crossEncoder);
    await reranker.close();
  });

  it('the cache is bounded: an evicted search must be run again', async () => {
    const reranker = new Reranker({ crossEncoder: encoder, cacheSize: 1 });
    await reranker.rerank({ queryId: 'old', question, retrieval, params: params() });
    await reranker.rerank({ queryId: 'new', question: 'another question', retrieval: { ...retrieval, question: 'another question' }, params: params() });
    await assert.rejects(reranker.refuse('old', { alpha: 0.2 }), (err: unknown) => err instanceof RerankError && err.appError.code === 'query-expired');
    const pairs = encoder.pairsScored;
    await reranker.rerank({ queryId: 'again', question, retrieval, params: params() });
    assert.equal(encoder.pairsScored - pairs, 5, 'the evicted question is scored afresh');
  });

  it('refuse of an unknown query is a coded error', async () => {
    await assert.rejects(new Reranker({ crossEncoder: encoder }).refuse('nope', { alpha: 0.5 }), (err: unknown) => err instanceof RerankError && err.appError.code === 'query-expired');
  });
});

describe('Lru', () => {
  it('evicts the least recently used entry', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1); // a is now the most recent
    lru.set('c', 3);
    assert.equal(lru.has('b'), false);
    assert.equal(lru.get('a'), 1);
    assert.equal(lru.get('c'), 3);
    assert.equal(lru.size, 2);
  });
});
