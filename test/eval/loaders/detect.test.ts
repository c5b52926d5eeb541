import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { detectCollectionFormat, loadCollection } from '../../../core/eval/loaders/detect.js';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared');

test('loadCollection recognises SMART, BEIR, TREC and labels files, and names the collection after the folder', async () => {
  const cran = await loadCollection(path.join(shared, 'data', 'cranfield'));
  assert.equal(cran.name, 'cranfield');
  assert.equal(cran.docs.length, 1400);

  const root = await mkdtemp(path.join(tmpdir(), 'detect-'));
  const beir = path.join(root, 'scifact');
  await mkdir(path.join(beir, 'qrels'), { recursive: true });
  await writeFile(path.join(beir, 'corpus.jsonl'), '{"_id":"d","text":"t"}\n');
  await writeFile(path.join(beir, 'queries.jsonl'), '{"_id":"q","text":"x"}\n');
  await writeFile(path.join(beir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq\td\t1\n');
  assert.equal(await detectCollectionFormat(beir), 'beir');

  const trec = path.join(root, 'robust');
  await mkdir(trec);
  await writeFile(path.join(trec, 'topics.txt'), '1\tquestion\n');
  await writeFile(path.join(trec, 'qrels.txt'), '1 0 D1 1\n');
  await writeFile(path.join(trec, 'corpus.jsonl'), '{"_id":"D1","text":"answer"}\n');
  assert.equal(await detectCollectionFormat(trec), 'trec');
  const t = await loadCollection(trec);
  assert.equal(t.name, 'robust');
  assert.deepEqual(t.docs, [{ id: 'D1', text: 'answer' }]);

  const labels = path.join(root, 'labels.json');
  await writeFile(labels, '[{"question":"q","relevantChunkIds":[3]}]');
  assert.equal(await detectCollectionFormat(labels), 'user-labels');
  assert.equal((await loadCollection(labels)).queries.length, 1);
});

test('a folder of something else is refused with the formats that are accepted', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'detect-'));
  await writeFile(path.join(dir, 'notes.txt'), 'hello');
  await assert.rejects(loadCollection(dir), (e: any) => e.code === 'eval-unknown-format' && /BEIR/.test(e.action));
  await assert.rejects(loadCollection(path.join(dir, 'missing')), { code: 'eval-unknown-format' });
});
