import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isBeirFolder, loadBeirCollection, parseBeirQrels } from '../../../core/eval/loaders/beir.js';

async function beirFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beir-'));
  await mkdir(path.join(dir, 'qrels'));
  await writeFile(path.join(dir, 'corpus.jsonl'), [
    { _id: 'd1', title: 'Wings', text: 'lift on a wing' },
    { _id: 'd2', title: '', text: 'heat transfer' },
    { _id: 3, text: 'numeric id' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  await writeFile(path.join(dir, 'queries.jsonl'), [
    { _id: 'q1', text: 'what lifts a wing' }, { _id: 'q2', text: 'heat' }, { _id: 'q9', text: 'only in train' },
  ].map((r) => JSON.stringify(r)).join('\n'));
  await writeFile(path.join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td2\t1\nq2\t3\t0\n');
  await writeFile(path.join(dir, 'qrels', 'train.tsv'), 'query-id\tcorpus-id\tscore\nq9\td1\t1\n');
  return dir;
}

test('a BEIR folder loads the test split: its judged queries only, graded qrels, titles kept', async () => {
  const dir = await beirFolder();
  assert.ok(isBeirFolder(dir));
  const c = await loadBeirCollection(dir);
  assert.equal(c.name, `${path.basename(dir)}/test`);
  assert.deepEqual(c.docs, [{ id: 'd1', title: 'Wings', text: 'lift on a wing' }, { id: 'd2', text: 'heat transfer' }, { id: '3', text: 'numeric id' }]);
  assert.deepEqual(c.queries.map((q) => q.id), ['q1', 'q2']);
  assert.equal(c.qrels.get('q1')!.get('d1'), 2);
  assert.equal(c.qrels.get('q2')!.get('3'), 0);
  const train = await loadBeirCollection(dir, { split: 'train' });
  assert.deepEqual(train.queries, [{ id: 'q9', text: 'only in train' }]);
});

test('an unknown split and a malformed qrels line are errors that say what to do', async () => {
  const dir = await beirFolder();
  await assert.rejects(loadBeirCollection(dir, { split: 'dev' }), (e: any) => e.code === 'eval-no-split' && /test, train|train, test/.test(e.action));
  assert.throws(() => parseBeirQrels('query-id\tcorpus-id\tscore\nq1 d1 1\n'), { code: 'eval-bad-qrels' });
  assert.throws(() => parseBeirQrels('q1\t0\t12\t1\n'), { code: 'eval-bad-qrels' });
  // A header-less file is accepted.
  assert.equal(parseBeirQrels('q1\td1\t1\n').get('q1')!.get('d1'), 1);
});

test('files written with a byte-order mark load like those without; a line that is not an object is one clear error', async () => {
  const dir = await beirFolder();
  const bom = '\uFEFF';
  await writeFile(path.join(dir, 'queries.jsonl'), `${bom}{"_id":"q1","text":"what lifts a wing"}\n`);
  await writeFile(path.join(dir, 'qrels', 'test.tsv'), `${bom}q1\td1\t1\n`);
  const c = await loadBeirCollection(dir);
  assert.deepEqual(c.queries, [{ id: 'q1', text: 'what lifts a wing' }]);
  assert.deepEqual([...c.qrels.keys()], ['q1']);
  await writeFile(path.join(dir, 'corpus.jsonl'), '{"_id":"d1","text":"x"}\nnull\n');
  await assert.rejects(loadBeirCollection(dir), (e: any) => e.code === 'eval-bad-jsonl' && /Line 2 .* not a JSON object/.test(e.message));
});

test('a judged query without text is one clear error; a repeated query id is one question, not two', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'beir-'));
  await writeFile(path.join(dir, 'corpus.jsonl'), '{"_id":"d1","text":"wing flutter"}\n{"_id":"d2","text":"boundary layer"}\n');
  await mkdir(path.join(dir, 'qrels'));
  await writeFile(path.join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n');
  await writeFile(path.join(dir, 'queries.jsonl'), '{"_id":"q1","text":"flutter"}\n{"_id":"q1","text":"flutter again"}\n{"_id":"q2","text":"layer"}\n');
  assert.deepEqual((await loadBeirCollection(dir)).queries, [{ id: 'q1', text: 'flutter' }, { id: 'q2', text: 'layer' }]);
  await writeFile(path.join(dir, 'queries.jsonl'), '{"_id":"q1","text":"flutter"}\n{"_id":"q2"}\n');
  await assert.rejects(loadBeirCollection(dir), (e: any) => e.code === 'eval-query-without-text' && /Query "q2"/.test(e.message) && Boolean(e.action));
});

