import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  // Neither a file nor a folder (a device, a FIFO): refused the same way, not a scandir error.
  if (process.platform !== 'win32') await assert.rejects(loadCollection('/dev/null'), { code: 'eval-unknown-format' });
});

test('a BEIR or SMART folder without documents is refused, never asked against the library as labelled questions are', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'detect-'));
  const beir = path.join(root, 'beir');
  await mkdir(path.join(beir, 'qrels'), { recursive: true });
  await writeFile(path.join(beir, 'corpus.jsonl'), '');
  await writeFile(path.join(beir, 'queries.jsonl'), '{"_id":"q","text":"x"}\n');
  await writeFile(path.join(beir, 'qrels', 'test.tsv'), 'q\td\t1\n');
  await assert.rejects(loadCollection(beir), { code: 'eval-no-docs' });
  const smart = path.join(root, 'smart');
  await mkdir(smart);
  await writeFile(path.join(smart, 'tiny.all'), '');
  await writeFile(path.join(smart, 'tiny.qry'), '.I 1\n.W\nx\n');
  await writeFile(path.join(smart, 'tiny.rel'), '1 1\n');
  await assert.rejects(loadCollection(smart), { code: 'eval-no-docs' });
  // "qrels" must be the folder of splits: a file of that name is not BEIR.
  await rm(path.join(beir, 'qrels'), { recursive: true });
  await writeFile(path.join(beir, 'qrels'), 'q\td\t1\n');
  await assert.rejects(loadCollection(beir), { code: 'eval-unknown-format' });
});
