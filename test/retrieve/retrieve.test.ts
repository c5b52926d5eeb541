// Retrieval: the dense + BM25 fusion by hand, and the three retrieval modes on a real store with the tiny models.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fuseLists } from '../../core/retrieve/retrieve.js';
import { tinyEngine } from '../support/engine.js';
import { tempDir } from '../support/temp.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
const list = (...pairs: [number, number][]) => pairs.map(([chunkId, score]) => ({ chunkId, score }));

describe('fuseLists', () => {
  // dense: 1 (0.9), 2 (0.5), 3 (0.1); bm25: 2 (8), 4 (4), 5 (2)
  const dense = list([1, 0.9], [2, 0.5], [3, 0.1]);
  const bm25 = list([2, 8], [4, 4], [5, 2]);

  it('rrf adds 1 / (60 + rank) over the lists holding a candidate', () => {
    const f = fuseLists(dense, bm25, 'rrf', 0.5);
    // 2: 1/62 + 1/61; 1: 1/61; 4: 1/62 (dense 3 ties it, 1/63 < 1/62); 3 and 5: 1/63 each, dense rank first
    assert.deepEqual(f.map((c) => c.chunkId), [2, 1, 4, 3, 5]);
    close(f[0]!.score, 1 / 62 + 1 / 61);
    assert.deepEqual(f.map((c) => c.lists), [2, 1, 1, 1, 1]);
  });

  it('weighted: w * minmax(dense) + (1 - w) * minmax(bm25); the weakest hit of a list outranks a candidate outside it', () => {
    // minmax dense: 1 -> 1, 2 -> .5, 3 -> 0; bm25 (2..8): 2 -> 1, 4 -> 1/3, 5 -> 0
    // w .5: 2 -> .25 + .5 = .75, 1 -> .5, 4 -> 1/6, 3 -> 0, 5 -> 0 (tie: 3 has the dense rank, 5 only bm25)
    const f = fuseLists(dense, bm25, 'weighted', 0.5);
    assert.deepEqual(f.map((c) => c.chunkId), [2, 1, 4, 3, 5]);
    close(f[0]!.score, 0.75);
    close(f[2]!.score, 1 / 6);
    // A candidate in both lists at the bottom of each ties on score with one in a single list: the two-list one wins.
    const both = fuseLists(list([7, 1], [8, 0]), list([9, 1], [8, 0]), 'weighted', 0.5);
    assert.deepEqual(both.map((c) => [c.chunkId, c.lists]), [[7, 1], [9, 1], [8, 2]]);
    const tie = fuseLists(list([7, 1], [6, 0]), list([8, 1], [9, 0.5], [6, 0]), 'weighted', 0.5);
    assert.deepEqual(tie.map((c) => c.chunkId), [7, 8, 9, 6]);
  });

  it('denseWeight 0 lets no dense-only candidate in; 1 no BM25-only one', () => {
    assert.deepEqual(fuseLists(dense, bm25, 'weighted', 0).map((c) => c.chunkId), [2, 4, 5]);
    assert.deepEqual(fuseLists(dense, bm25, 'weighted', 1).map((c) => c.chunkId), [1, 2, 3]);
  });

  it('one list alone counts fully whatever the weight', () => {
    assert.deepEqual(fuseLists(dense, [], 'weighted', 0).map((c) => c.chunkId), [1, 2, 3]);
    assert.deepEqual(fuseLists([], bm25, 'weighted', 1).map((c) => c.chunkId), [2, 4, 5]);
  });
});

describe('retrieval modes', () => {
  it('hybrid joins both lists, bm25 and dense take one each; bi scores are there in every mode', async (t) => {
    const root = tempDir();
    const docs = join(root, 'docs');
    mkdirSync(docs, { recursive: true });
    const topics = ['supersonic wing flutter', 'laminar boundary layer transition', 'hypersonic heat transfer', 'shock wave interaction'];
    topics.forEach((topic, i) => writeFileSync(join(docs, `r${i}.md`), Array.from({ length: 12 }, (_, j) => `Note ${j} on ${topic} at station ${j}.`).join('\n\n')));
    const engine = await tinyEngine(join(root, 'store'), {}, { chunkTokens: 32, chunkOverlap: 0 });
    t.after(() => engine.close());
    await engine.reindex({ path: docs });
    const search = async (retrieval: 'hybrid' | 'bm25' | 'dense') => {
      await engine.overrideSettings({ retrieval });
      return engine.search({ question: 'hypersonic heat', retrieveK: 20, params: { mode: 'none' } });
    };
    const bm25 = await search('bm25');
    assert.ok(bm25.candidates.length > 0 && bm25.candidates.every((c) => c.bm25Rank !== null && c.denseRank === null));
    assert.ok(bm25.candidates.every((c) => c.path.endsWith('r2.md')), 'BM25 alone finds only the chunks with the words');
    assert.ok(bm25.candidates.every((c) => typeof c.biScore === 'number'), 'the query is still embedded for bi scores');
    assert.equal(bm25.timings.find((x) => x.stage === 'faiss')!.note, 'off (retrieval: bm25)');
    const dense = await search('dense');
    assert.equal(dense.candidates.length, 20);
    assert.ok(dense.candidates.every((c) => c.denseRank !== null && c.bm25Rank === null));
    const hybrid = await search('hybrid');
    assert.ok(hybrid.candidates.some((c) => c.bm25Rank !== null) && hybrid.candidates.some((c) => c.denseRank !== null));
  });
});
