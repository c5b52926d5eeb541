import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findSmartFiles, loadSmartCollection, parseSmartQrels } from '../../../core/eval/loaders/smart.js';

const shared = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared');
const cranDir = path.join(shared, 'data', 'cranfield');

test('Cranfield loads 1400 docs with title and text, 225 queries numbered in file order', async () => {
  const cran = await loadSmartCollection((await findSmartFiles(cranDir))!, 'cranfield');
  assert.equal(cran.docs.length, 1400);
  assert.equal(cran.docs[0]!.id, '1');
  assert.equal(cran.docs[0]!.title, 'experimental investigation of the aerodynamics of a wing in a slipstream .');
  assert.match(cran.docs[0]!.text, /spanwise distribution of the lift/);
  assert.doesNotMatch(cran.docs[0]!.text, /brenckman/); // .A is not text
  // Doc 576 has two .W sections in the original file: both are kept.
  const d576 = cran.docs.find((d) => d.id === '576')!;
  assert.match(d576.text, /variable-geometry features/);
  assert.match(d576.text, /limit characteristics/);
  // Docs 471 and 995 are empty in the source.
  assert.equal(cran.docs.find((d) => d.id === '471')!.text, '');

  assert.equal(cran.queries.length, 225);
  assert.deepEqual(cran.queries.map((q) => q.id).slice(0, 3), ['1', '2', '3']);
  // The file's third query has `.I 004`; qrels call it 3 and judge doc 5 (heat conduction in a double-layer slab).
  assert.match(cran.queries[2]!.text, /heat conduction in composite slabs/);
  assert.equal(cran.qrels.get('3')!.get('5'), 2); // file grade 3 -> 2
  // The last query has `.I 365` and is query 225 for the qrels.
  assert.match(cran.queries[224]!.text, /lift-drag ratios at mach numbers above 5/);
  assert.ok(cran.qrels.has('225'));
});

test('Cranfield grades are mapped 1->4, 2->3, 3->2, 4->1 and -1 -> 0 (judged non-relevant)', async () => {
  const cran = await loadSmartCollection((await findSmartFiles(cranDir))!);
  const q1 = cran.qrels.get('1')!;
  assert.equal(q1.get('184'), 3); // "1 184 2"
  assert.equal(q1.get('12'), 2); // "1 12 3"
  assert.equal(q1.get('13'), 1); // "1 13 4"
  assert.equal(cran.qrels.get('1')!.get('486'), 0); // "1 486 -1"
  const all = [...cran.qrels.values()].flatMap((m) => [...m.values()]);
  assert.equal(all.length, 1837); // 1837 lines (the README's 1836 is `wc -l`: the last line has no newline)
  assert.equal(all.filter((g) => g === 4).length, 128); // 128 lines graded 1 in the file
  assert.equal(all.filter((g) => g === 0).length, 225);
});

test('CISI/MED-style qrels (q doc 0 0.0) mark listed pairs relevant; a query beyond the file is refused', async () => {
  assert.deepEqual(parseSmartQrels('1 28 0 0.000000\n1 35 0 0.000000\n'), { scheme: 'binary', rows: [[1, '28', 1], [1, '35', 1]] });
  // TREC-style copies (q 0 doc rel) name the document in the third column.
  assert.deepEqual(parseSmartQrels('1 0 13 1\n1 0 14 1\n2 0 15 0\n').rows, [[1, '13', 1], [1, '14', 1], [2, '15', 0]]);
  const dir = await mkdtemp(path.join(tmpdir(), 'smart-'));
  await writeFile(path.join(dir, 'MINI.ALL'), '.I 1\n.T\nA title\n.W\nsome text\n.I 2\n.W\nother text\n');
  await writeFile(path.join(dir, 'MINI.QRY'), '.I 1\n.W\nfirst question\n');
  await writeFile(path.join(dir, 'MINI.REL'), '1 2 0 0.0\n');
  const mini = await loadSmartCollection((await findSmartFiles(dir))!);
  assert.equal(mini.name, 'mini');
  assert.deepEqual(mini.docs, [{ id: '1', title: 'A title', text: 'some text' }, { id: '2', text: 'other text' }]);
  assert.deepEqual([...mini.qrels.get('1')!], [['2', 1]]);
  await writeFile(path.join(dir, 'MINI.REL'), '2 2 0 0.0\n');
  await assert.rejects(loadSmartCollection((await findSmartFiles(dir))!), { code: 'eval-bad-qrels' });
});

test('SMART files with a byte-order mark keep their first record', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'smart-bom-'));
  await writeFile(path.join(dir, 'tiny.all'), '\uFEFF.I 1\n.T\nwings\n.W\nlift on a wing\n.I 2\n.W\nheat\n');
  await writeFile(path.join(dir, 'tiny.qry'), '\uFEFF.I 001\n.W\nwhat lifts\n.I 002\n.W\nheat\n');
  await writeFile(path.join(dir, 'tiny.rel'), '\uFEFF1 1\n2 2\n');
  const c = await loadSmartCollection((await findSmartFiles(dir))!);
  assert.deepEqual(c.docs.map((d) => d.id), ['1', '2']);
  assert.deepEqual(c.queries, [{ id: '1', text: 'what lifts' }, { id: '2', text: 'heat' }]);
});

test('a CACM-style folder (cacm.all, query.text, qrels.text with "q doc 0 0" lines) is SMART', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cacm-'));
  await writeFile(path.join(dir, 'cacm.all'), '.I 1\n.T\nPreliminary Report\n.B\nCACM December, 1958\n.I 2\n.T\nExtraction of Roots\n.W\nroots by repeated subtraction\n');
  await writeFile(path.join(dir, 'query.text'), '.I 1\n.W\n extracting roots\n.N\n 1. Richard Alexander\n');
  await writeFile(path.join(dir, 'qrels.text'), '01 2  0 0\n');
  await writeFile(path.join(dir, 'common_words'), 'a\nthe\n');
  const c = await loadSmartCollection((await findSmartFiles(dir))!);
  assert.deepEqual(c.docs.map((d) => [d.id, d.title]), [['1', 'Preliminary Report'], ['2', 'Extraction of Roots']]);
  assert.deepEqual(c.queries, [{ id: '1', text: 'extracting roots' }]);
  assert.deepEqual([...c.qrels.get('1')!], [['2', 1]]);
});
