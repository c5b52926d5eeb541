// The evaluation grid's numbers are the product's: for every grid point and normalisation, the order the grid
// computes from its cached scores equals what the engine's search (what `localrag search` prints) returns for the
// same question, chunk by chunk. Real parts: a store, FAISS, the tiny synthesised ONNX models, multi-chunk documents.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NORMALISATIONS, RERANK_MODES } from '../../core/contract/vocabulary.js';
import { engineForEval } from '../../core/engine/eval-engine.js';
import type { QueryScores } from '../../core/eval/cached-scores.js';
import type { Collection } from '../../core/eval/collection.js';
import { gridSettings, rankCachedChunks } from '../../core/eval/grid.js';
import { runEval } from '../../core/eval/runner.js';
import { cranfieldDocs, cranfieldQueries } from '../bench/corpus.js';
import { tinyEngine } from '../support/engine.js';
import { tempDir } from '../support/temp.js';

const K = 30;
const NS = [1, 2, 5, 12];
const ALPHAS = [0, 0.3, 1];

test('every grid point orders the K chunks exactly as live search does', { timeout: 600_000 }, async () => {
  const root = tempDir();
  const store = join(root, 'store');
  const docs = cranfieldDocs().slice(0, 60);
  const questions = cranfieldQueries().slice(0, 5);
  const collection: Collection = {
    name: 'cranfield-60', docs, queries: questions.map((text, i) => ({ id: String(i + 1), text })),
    // One judged document each (the grid skips unjudged queries); the values do not matter here, the orders do.
    qrels: new Map(questions.map((_, i) => [String(i + 1), new Map([[docs[i]!.id, 1]])])),
  };
  // 64-token chunks: most abstracts span several chunks, so documents collapse only after ranking. The default
  // int8 cross-encoder: a pair's score must not depend on the batch it was scored in (cross-encoder.ts).
  const settings = { chunkTokens: 64, chunkOverlap: 0 };
  const evalEngine = await tinyEngine(store, {}, settings);
  const out = join(root, 'out');
  await runEval({ collection, engine: engineForEval(evalEngine, join(root, 'corpus')), modes: RERANK_MODES, ns: NS, alphas: ALPHAS, k: K, depth: 0, outDir: out });
  await evalEngine.close();
  const rows = readFileSync(join(out, 'scores.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as QueryScores);
  assert.equal(rows.length, questions.length);
  const docsOf = (r: QueryScores) => new Set(r.candidates.map((c) => c.docId));
  assert.ok(rows.some((r) => docsOf(r).size < r.candidates.length), 'some documents span several of the K chunks');

  // A fresh engine on the same store: nothing shared with the run above but the index.
  const live = await tinyEngine(store, {}, settings);
  try {
    for (const [qi, question] of questions.entries()) {
      const row = rows.find((r) => r.queryId === String(qi + 1))!;
      for (const normalisation of NORMALISATIONS) {
        // Odd questions start with the small-N settings, so live search scores pairs in other batches than the run.
        const settings = gridSettings(RERANK_MODES, NS, ALPHAS);
        for (const setting of qi % 2 ? [...settings].reverse() : settings) {
          const r = await live.search({ question, retrieveK: K, params: { ...setting, topN: Math.max(1, setting.topN), normalisation } });
          const grid = rankCachedChunks(row, setting, normalisation).map((c) => c.chunkId);
          assert.deepEqual(grid, r.candidates.map((c) => c.chunkId), `query ${qi + 1}, ${setting.mode} N=${setting.topN} alpha=${setting.alpha} ${normalisation}`);
        }
      }
    }
  } finally {
    await live.close();
  }
});
