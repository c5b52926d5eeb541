import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { Parser } from 'htmlparser2';
import { renderChartSvg } from '../../core/eval/chart.js';
import { svgToPng } from '../../core/eval/chart-png.js';
import { paretoFrontier } from '../../core/eval/grid.js';
import { sampleReport } from './fixtures/sample-report.js';

interface El { name: string; attrs: Record<string, string>; text: string }

/**
 * Checks well-formedness with resvg's strict XML parser (it refuses unclosed or mismatched tags and bare '&'),
 * then lists the elements with htmlparser2 for the assertions.
 */
function parseSvg(svg: string): El[] {
  assert.doesNotThrow(() => new Resvg(svg), 'the SVG is well-formed XML');
  const els: El[] = [];
  const stack: El[] = [];
  const parser = new Parser({
    onopentag(name, attrs) { const el = { name, attrs, text: '' }; els.push(el); stack.push(el); },
    ontext(t) { for (const el of stack) el.text += t; },
    onclosetag() { stack.pop(); },
  }, { xmlMode: true, decodeEntities: true });
  parser.end(svg);
  return els;
}

const report = sampleReport();

test('the chart is one well-formed SVG with every point, axes with ticks and labels, and a legend', () => {
  const svg = renderChartSvg({ ...report, collection: 'R&D <docs>' });
  const els = parseSvg(svg);
  const root = els[0]!;
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs['xmlns'], 'http://www.w3.org/2000/svg');
  assert.equal(root.attrs['viewBox'], '0 0 760 440');
  assert.match(root.text, /R&D <docs>/); // escaped in the source, intact once parsed

  const points = els.filter((e) => e.attrs['class'] === 'point');
  assert.equal(points.length, report.points.length);
  assert.deepEqual(new Set(points.map((p) => p.attrs['data-mode'])), new Set(['none', 'bi', 'cross', 'mixlm']));

  const xTicks = els.filter((e) => e.attrs['class'] === 'x-tick').map((e) => Number(e.text));
  const yTicks = els.filter((e) => e.attrs['class'] === 'y-tick').map((e) => Number(e.text));
  assert.ok(xTicks.length >= 3 && yTicks.length >= 3);
  assert.deepEqual(xTicks, [...xTicks].sort((a, b) => a - b));
  assert.ok(xTicks[0]! <= Math.min(...report.points.map((p) => p.p50Ms)) && xTicks.at(-1)! >= Math.max(...report.points.map((p) => p.p50Ms)));
  assert.ok(yTicks[0]! <= Math.min(...report.points.map((p) => p.ndcg10)) && yTicks.at(-1)! >= Math.max(...report.points.map((p) => p.ndcg10)));
  assert.match(els.find((e) => e.attrs['class'] === 'x-label')!.text, /latency, ms \(estimated from measured per-pair cost\)/);
  assert.equal(els.find((e) => e.attrs['class'] === 'y-label')!.text, 'nDCG@10');
  const legend = els.find((e) => e.attrs['class'] === 'legend')!;
  for (const label of ['no rerank', 'bi-encoder', 'cross-encoder', 'MixLM (bi + cross)', 'Pareto frontier', 'current setting']) {
    assert.ok(legend.text.includes(label), label);
  }
});

test('the Pareto frontier is drawn as a line through exactly the frontier points, left to right', () => {
  const els = parseSvg(renderChartSvg(report));
  const frontierPoints = els.filter((e) => e.attrs['class'] === 'point' && e.attrs['data-pareto'] === 'true');
  assert.equal(frontierPoints.length, report.points.filter((p) => p.pareto).length);
  assert.ok(frontierPoints.length >= 2);
  const line = els.find((e) => e.name === 'polyline' && e.attrs['class'] === 'frontier')!;
  const vertices = line.attrs['points']!.split(' ');
  assert.deepEqual(new Set(vertices), new Set(frontierPoints.map((p) => `${p.attrs['cx']},${p.attrs['cy']}`)));
  const xs = vertices.map((v) => Number(v.split(',')[0]));
  assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
});

test('the current setting is highlighted, and MRR@10 redraws the frontier for that metric', () => {
  const els = parseSvg(renderChartSvg(report, { metric: 'mrr10', labels: { title: '速度と品質' } }));
  const current = els.filter((e) => e.attrs['data-current'] === 'true');
  assert.equal(current.length, 1);
  assert.deepEqual([current[0]!.attrs['data-mode'], current[0]!.attrs['data-topn'], current[0]!.attrs['data-alpha']], ['mixlm', '4', '0.7']);
  const ring = els.find((e) => e.attrs['class'] === 'current')!;
  assert.deepEqual([ring.attrs['cx'], ring.attrs['cy']], [current[0]!.attrs['cx'], current[0]!.attrs['cy']]);
  assert.equal(els.find((e) => e.attrs['class'] === 'y-label')!.text, 'MRR@10');
  assert.match(els[0]!.text, /速度と品質/);
  const expected = paretoFrontier(report.points, 'p50Ms', 'mrr10').filter((p) => p.pareto).length;
  assert.equal(els.filter((e) => e.attrs['data-pareto'] === 'true').length, expected);
});

test('an empty report still gives a valid chart that says so', () => {
  const els = parseSvg(renderChartSvg({ ...report, points: [] }));
  assert.equal(els.filter((e) => e.attrs['class'] === 'point').length, 0);
  assert.match(els[0]!.text, /No settings were evaluated/);
});

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('svgToPng gives a PNG of the chart size, scaled when a width is asked for', () => {
  const svg = renderChartSvg(report);
  const png = svgToPng(svg);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.deepEqual(pngSize(png), { width: 760, height: 440 });
  assert.deepEqual(pngSize(svgToPng(svg, { width: 1520 })), { width: 1520, height: 880 });
  for (const bad of ['<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', '<svg xmlns="http://www.w3.org/2000/svg"><text>R&D</text></svg>']) {
    assert.throws(() => svgToPng(bad), 'resvg refuses malformed XML, so parseSvg above is a real check');
  }
});
