import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { describeProvenance } from '../../core/eval/provenance.js';
import { isCurrentPoint, reportToCsv, writeReport } from '../../core/eval/report.js';
import { sampleReport } from './fixtures/sample-report.js';

async function modelFolder(marker: object | null): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'model-'));
  await mkdir(path.join(dir, 'onnx'));
  if (marker) await writeFile(path.join(dir, 'localrag-model.json'), JSON.stringify(marker));
  return dir;
}

test('a synthesised model folder makes the report say plainly which numbers are meaningless', async () => {
  const synth = await modelFolder({ synthesised: true, profile: { pooling: 'mean' } });
  const real = await modelFolder(null);
  const prov = describeProvenance([
    { role: 'embedder', id: 'e5-synth', dir: synth },
    { role: 'cross-encoder', id: 'ms-marco-MiniLM-L-6-v2', dir: real, provenance: 'hub' },
    { role: 'llm', id: 'none', dir: null },
  ]);
  assert.deepEqual(prov.synthesised, ['e5-synth']);
  assert.match(prov.lines[0]!, /^embedder e5-synth: synthesised \(random weights/);
  assert.match(prov.lines[1]!, /^cross-encoder ms-marco-MiniLM-L-6-v2: hub at /);
  assert.equal(prov.lines[2], 'llm none: not installed');

  const report = sampleReport(prov);
  // A synthesised embedder under hybrid retrieval spoils every quality figure, mode none's too.
  assert.match(report.warning!, /retrieval is hybrid, so every quality figure is meaningless, mode none included/);
  assert.match(report.warning!, /Latency figures are real/);
  assert.match(report.warning!, /e5-synth/);
  assert.doesNotMatch(report.warning!, /cross-encoder and mixlm/, 'the real cross-encoder is not blamed');
  // With BM25 alone, mode none is real.
  assert.match(sampleReport(prov, 'bm25').warning!, /mode none is BM25 alone, so its figures are real/);
  assert.deepEqual(report.provenance, prov.lines);
  const csv = reportToCsv(report);
  assert.match(csv, /^# WARNING: Synthesised models/m);
  assert.match(csv, /^# model: embedder e5-synth: synthesised/m);
});

test('real models give no warning; provenance strings from the registry are honoured', () => {
  const prov = describeProvenance([{ role: 'cross-encoder', id: 'x', provenance: 'synthesised (random weights: relevance is meaningless)' }]);
  assert.deepEqual(prov.synthesised, ['x']);
  const report = sampleReport();
  assert.equal(report.warning, undefined);
  assert.equal(report.latencyBasis, 'estimated from measured per-pair cost');
});

test('JSON and CSV carry every point, the Pareto flags and the current setting', async () => {
  const report = sampleReport();
  const dir = await mkdtemp(path.join(tmpdir(), 'report-'));
  const files = await writeReport({ ...report, svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' }, dir);
  const json = JSON.parse(await readFile(files.json, 'utf8'));
  assert.deepEqual(json.points, report.points);
  assert.equal(json.collection, 'sample');
  assert.equal(await readFile(files.svg!, 'utf8'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

  const lines = (await readFile(files.csv, 'utf8')).trim().split('\n');
  const comments = lines.filter((l) => l.startsWith('#'));
  assert.ok(comments.some((l) => l === '# latency: p50 estimated from measured per-pair cost'));
  const [header, ...rows] = lines.filter((l) => !l.startsWith('#'));
  assert.equal(header, 'mode,topN,alpha,ndcg10,mrr10,recall100,map,p50Ms_estimated,pareto,current');
  assert.equal(rows.length, report.points.length);
  const parsed = rows.map((r) => r.split(','));
  assert.equal(parsed.filter((r) => r[8] === 'true').length, report.points.filter((p) => p.pareto).length);
  assert.deepEqual(parsed.filter((r) => r[9] === 'true').map((r) => r.slice(0, 3)), [['mixlm', '4', '0.70']]);
  assert.equal(report.points.filter((p) => isCurrentPoint(report, p)).length, 1);
  const first = report.points[0]!;
  assert.deepEqual(parsed[0]!.slice(3, 8).map(Number), [first.ndcg10, first.mrr10, first.recall100, first.map].map((v) => Number(v.toFixed(4))).concat(Number(first.p50Ms.toFixed(2))));
});
