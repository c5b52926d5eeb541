import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadUserLabels, loadUserLabelsCollection } from '../../../core/eval/loaders/user-labels.js';

test('labelled questions become a collection over the indexed library: chunk ids are the doc ids', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'labels-'));
  const file = path.join(dir, 'my-questions.json');
  await writeFile(file, JSON.stringify([
    { question: 'How do I renew my passport?', relevantChunkIds: [12, 40] },
    { question: 'Opening hours?', relevantChunkIds: [] },
  ]));
  const c = await loadUserLabelsCollection(file);
  assert.equal(c.name, 'my-questions');
  assert.deepEqual(c.docs, []);
  assert.deepEqual(c.queries, [{ id: 'q1', text: 'How do I renew my passport?' }, { id: 'q2', text: 'Opening hours?' }]);
  assert.deepEqual([...c.qrels.get('q1')!], [['12', 1], ['40', 1]]);
  assert.equal(c.qrels.get('q2')!.size, 0);
});

test('a bad labels file is refused with the entry that is wrong', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'labels-'));
  const file = path.join(dir, 'bad.json');
  await writeFile(file, JSON.stringify([{ question: 'ok', relevantChunkIds: [1] }, { question: '', relevantChunkIds: ['x'] }]));
  await assert.rejects(loadUserLabels(file), (e: any) => e.code === 'eval-bad-labels' && /1\.question/.test(e.message));
  await writeFile(file, '{ not json');
  await assert.rejects(loadUserLabels(file), { code: 'eval-bad-labels' });
});

test('a labels file saved with a byte-order mark (Notepad does) is read', async () => {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'labels-')), 'labels.json');
  await writeFile(file, '\uFEFF[{"question":"q","relevantChunkIds":[3]}]');
  assert.deepEqual(await loadUserLabels(file), [{ question: 'q', relevantChunkIds: [3] }]);
});
