import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../../core/store/db.js';
import { getPassages, listFiles, markSkipped, removeDocument, replaceDocument } from '../../core/store/documents.js';
import { bm25Search } from '../../core/store/fulltext.js';
import { textTerms } from '../../core/store/text-terms.js';
import { storeVectors } from '../../core/store/vector-index.js';
import { tempDir } from '../support/temp.js';

const chunk = (text: string, page: number | null = null) => ({ text, charStart: 0, charEnd: text.length, page, headingPath: ['Intro'], tokenCount: 3 });
const info = (path: string) => ({ path, folder: '/f', hash: 'h', size: 10, mtimeMs: 1 });

test('replacing a document swaps its chunks, FTS rows and vectors in one go', (t) => {
  const db = openDb(tempDir());
  const first = replaceDocument(db, info('/f/a.md'), [chunk('supersonic wing flutter'), chunk('boundary layer')], 'k');
  storeVectors(db, first.added, first.added.map(() => new Float32Array([1, 0])));
  assert.equal(bm25Search(db, 'flutter', 10)[0]!.chunkId, first.added[0]);
  const second = replaceDocument(db, info('/f/a.md'), [chunk('heat transfer in hypersonic flow', 2)], 'k');
  assert.deepEqual(second.removed, first.added);
  assert.equal(bm25Search(db, 'flutter', 10).length, 0, 'old text is gone from BM25');
  assert.equal(bm25Search(db, 'hypersonic', 10)[0]!.chunkId, second.added[0]);
  assert.equal(db.prepare('SELECT count(*) FROM vectors').pluck().get(), 0, 'old vectors went with their chunks');
  const [p] = getPassages(db, second.added);
  assert.equal(p!.page, 2);
  assert.deepEqual(p!.headingPath, ['Intro']);
  assert.equal(p!.path, '/f/a.md');
});

test('skipped files keep their reason and removed files leave the index', (t) => {
  const db = openDb(tempDir());
  replaceDocument(db, info('/f/a.md'), [chunk('alpha')], 'k');
  markSkipped(db, info('/f/b.pdf'), 'error', 'corrupt PDF: invalid xref table');
  assert.deepEqual(listFiles(db, 'error').map((f) => [f.path, f.reason]), [['/f/b.pdf', 'corrupt PDF: invalid xref table']]);
  assert.equal(removeDocument(db, '/f/a.md').length, 1);
  assert.equal(bm25Search(db, 'alpha', 5).length, 0);
});

test('any question is safe to ask, including query-syntax characters', (t) => {
  const db = openDb(tempDir());
  replaceDocument(db, info('/f/a.md'), [chunk('the NEAR operator and "quotes" (parens)')], 'k');
  for (const q of ['NEAR(', '"unbalanced', 'a AND OR NOT', '*', 'parens)']) {
    assert.doesNotThrow(() => bm25Search(db, q, 5), q);
  }
  assert.deepEqual(textTerms('  ?!  '), []);
  assert.deepEqual(textTerms('What is the flutter of a wing?'), ['flutter', 'wing'], 'function words are left out');
  assert.deepEqual(bm25Search(db, 'the of', 5), [], 'function words are not indexed, so a question of them alone has no BM25 terms');
  assert.equal(bm25Search(db, 'quotes', 5).length, 1);
});
