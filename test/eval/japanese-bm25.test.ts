// Japanese and Chinese BM25 on the project's own test collection (test/fixtures/japanese-bm25): indexed by the real
// engine (files, chunker, SQLite FTS5 with segmented terms), asked through the real evaluation runner with BM25 alone;
// every question's passage must be in the top 3.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine } from '../../core/engine.js';
import { engineForEval } from '../../core/engine/eval-engine.js';
import type { QueryScores } from '../../core/eval/cached-scores.js';
import { rerankCached } from '../../core/eval/grid.js';
import { loadCollection } from '../../core/eval/loaders/detect.js';
import { runEval } from '../../core/eval/runner.js';
import { projectRoot, tempDir } from '../support/temp.js';

test('every Japanese and Chinese question finds its passage in the BM25 top 3', async () => {
  const collection = await loadCollection(join(projectRoot, 'test', 'fixtures', 'japanese-bm25'));
  assert.ok(collection.docs.length >= 30 && collection.queries.length >= 15);
  const root = tempDir();
  // No models at all: BM25 alone answers, as it does for a user who has not downloaded any.
  const engine = await createEngine({ storeDir: join(root, 'store'), modelsDir: join(root, 'models'), overrides: { retrieval: 'bm25' } });
  try {
    const out = join(root, 'out');
    const report = await runEval({ collection, engine: engineForEval(engine, join(root, 'corpus')), modes: ['none'], k: 10, depth: 0, outDir: out });
    assert.equal(report.retrieval, 'bm25');
    const rows = readFileSync(join(out, 'scores.jsonl'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l) as QueryScores);
    const misses = collection.queries.flatMap((q) => {
      const wanted = [...collection.qrels.get(q.id)!.keys()][0]!;
      const row = rows.find((r) => r.queryId === q.id)!;
      const rank = rerankCached(row, { mode: 'none', topN: 0, alpha: 0 }, 'minmax').indexOf(wanted) + 1;
      return rank >= 1 && rank <= 3 ? [] : [`${q.id} "${q.text}": ${wanted} at ${rank || 'not found'}`];
    });
    assert.deepEqual(misses, []);
    assert.equal(report.points[0]!.mrr10 > 0.9, true, `MRR@10 ${report.points[0]!.mrr10}`);

    // The word alone, inside running text, as `localrag search "箱根"` asks it.
    const r = await engine.search({ question: '箱根', params: { mode: 'none' } });
    assert.ok(r.candidates[0]?.path.endsWith('ja01.txt') && r.candidates[0].bm25Rank === 1);
  } finally {
    await engine.close();
  }
});
