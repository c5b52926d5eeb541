// The collection's own corpus folder (engineForEval): every document is indexed whatever its id, and a collection
// edited since the last run is evaluated as it is now. Real parts: a store, the tiny models, BM25.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { engineForEval } from '../../core/engine/eval-engine.js';
import type { Collection } from '../../core/eval/collection.js';
import { runEval } from '../../core/eval/runner.js';
import { tinyEngine } from '../support/engine.js';
import { tempDir } from '../support/temp.js';

const TEXTS = ['alpha bravo charlie', 'delta echo foxtrot', 'golf hotel india', 'juliet kilo lima'];

function collectionOf(ids: string[], texts: string[], questions = texts): Collection {
  return {
    name: 'ids', docs: ids.map((id, i) => ({ id, text: texts[i]! })), queries: questions.map((text, i) => ({ id: `q${i}`, text })),
    qrels: new Map(ids.map((id, i) => [`q${i}`, new Map([[id, 1]])])),
  };
}

test('documents whose id starts with a dot or is longer than a file name are indexed; an edited collection is evaluated as it is now', { timeout: 120_000 }, async () => {
  const root = tempDir();
  const engine = await tinyEngine(join(root, 'store'), {}, { retrieval: 'bm25' });
  const corpus = join(root, 'corpus');
  const run = (c: Collection) => runEval({ collection: c, engine: engineForEval(engine, corpus), modes: ['none'], k: 10, depth: 0, outDir: join(root, 'out') });
  try {
    const ids = ['.hidden', '..', 'L'.repeat(300), 'plain'];
    const first = await run(collectionOf(ids, TEXTS));
    assert.equal(first.queries, 4);
    assert.equal(first.points[0]!.ndcg10, 1, 'each question finds its own document');

    // The documents swap texts (same name, same ids), one document goes, one question changes.
    const edited = collectionOf(ids.slice(0, 3), [TEXTS[1]!, TEXTS[0]!, TEXTS[2]!], [TEXTS[0]!, TEXTS[1]!, TEXTS[3]!]);
    const second = await run(edited);
    assert.match(second.rescoredBecause ?? '', /collection documents/);
    assert.equal(second.points[0]!.ndcg10, 0, 'the swapped texts are found under their new ids; the changed question has no document');
    assert.equal(readdirSync(corpus).length, 3, 'the removed document left the corpus folder');

    const third = await run({ ...edited, queries: edited.queries.map((q, i) => (i === 2 ? { ...q, text: TEXTS[2]! } : q)) });
    assert.equal(third.scoresReused, 2, 'only the question whose text changed is scored again');
    assert.equal(third.points[0]!.ndcg10, 1 / 3, 'the question now finds its document');
  } finally {
    await engine.close();
  }
});
