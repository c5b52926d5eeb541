// Latency vs quality chart as one self-contained SVG string: no Node imports, so the renderer can inline it too.
import type { EvalPoint, EvalReport, RerankMode } from '../contract/api.js';
import { LATENCY_BASIS, paretoFrontier, settingKey } from './grid.js';

export type ChartMetric = 'ndcg10' | 'mrr10';

/** Every string the chart shows, so the app can pass Japanese ones. */
export interface ChartLabels {
  title: string;
  xAxis: string;
  yAxis: Record<ChartMetric, string>;
  frontier: string;
  current: string;
  modes: Record<RerankMode, string>;
  empty: string;
}

export const DEFAULT_CHART_LABELS: ChartLabels = {
  title: 'Speed vs quality',
  xAxis: `p50 latency, ms (${LATENCY_BASIS})`,
  yAxis: { ndcg10: 'nDCG@10', mrr10: 'MRR@10' },
  frontier: 'Pareto frontier',
  current: 'current setting',
  modes: { none: 'no rerank', bi: 'bi-encoder', cross: 'cross-encoder', mixlm: 'MixLM (bi + cross)' },
  empty: 'No settings were evaluated',
};

export interface ChartOptions {
  metric?: ChartMetric;
  width?: number;
  height?: number;
  labels?: Partial<Omit<ChartLabels, 'yAxis' | 'modes'>> & { yAxis?: Partial<ChartLabels['yAxis']>; modes?: Partial<ChartLabels['modes']> };
}

export const MODE_COLOURS: Record<RerankMode, string> = {
  none: '#7f7f7f', bi: '#1f77b4', cross: '#d62728', mixlm: '#2ca02c',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number) => String(Math.round(v * 100) / 100);

/** About `count` round tick values (1, 2, 5 x 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.1);
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function describePoint(p: EvalPoint, metricLabel: string, metric: ChartMetric): string {
  const setting = p.mode === 'mixlm' ? `mixlm N=${p.topN} alpha=${p.alpha}` : p.mode === 'cross' ? `cross N=${p.topN}` : p.mode;
  return `${setting}: ${metricLabel} ${p[metric].toFixed(3)}, ${num(p.p50Ms)} ms`;
}

export function renderChartSvg(report: EvalReport, opts: ChartOptions = {}): string {
  const metric = opts.metric ?? 'ndcg10';
  const width = opts.width ?? 760;
  const height = opts.height ?? 440;
  const L: ChartLabels = {
    ...DEFAULT_CHART_LABELS, ...opts.labels,
    yAxis: { ...DEFAULT_CHART_LABELS.yAxis, ...opts.labels?.yAxis },
    modes: { ...DEFAULT_CHART_LABELS.modes, ...opts.labels?.modes },
  } as ChartLabels;
  const m = { left: 64, right: 190, top: 36, bottom: 58 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  // The frontier depends on the metric shown, so it is recomputed for it (for nDCG it equals the report's flags).
  const points = paretoFrontier(report.points, 'p50Ms', metric);
  const xs = points.map((p) => p.p50Ms);
  const ys = points.map((p) => p[metric]);
  const xTicks = niceTicks(0, Math.max(0, ...xs));
  const yTicks = ys.length ? niceTicks(Math.max(0, Math.min(...ys) - 0.02), Math.min(1, Math.max(...ys) + 0.02)) : niceTicks(0, 1);
  const [x0, x1] = [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const [y0, y1] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const sx = (v: number) => m.left + ((v - x0) / (x1 - x0)) * plotW;
  const sy = (v: number) => m.top + plotH - ((v - y0) / (y1 - y0)) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" `
    + `font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="12" role="img" aria-label="${esc(L.title)}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="15" font-weight="bold">${esc(L.title)} (${esc(report.collection)})</text>`);
  // axes, grid and ticks
  out.push('<g class="axes" stroke="#333" stroke-width="1">');
  out.push(`<line x1="${m.left}" y1="${m.top + plotH}" x2="${m.left + plotW}" y2="${m.top + plotH}"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + plotH}"/>`);
  out.push('</g><g class="ticks">');
  for (const t of xTicks) {
    out.push(`<line x1="${num(sx(t))}" y1="${m.top}" x2="${num(sx(t))}" y2="${m.top + plotH + 5}" stroke="#e3e3e3"/>`);
    out.push(`<text class="x-tick" x="${num(sx(t))}" y="${m.top + plotH + 18}" text-anchor="middle">${num(t)}</text>`);
  }
  for (const t of yTicks) {
    out.push(`<line x1="${m.left - 5}" y1="${num(sy(t))}" x2="${m.left + plotW}" y2="${num(sy(t))}" stroke="#e3e3e3"/>`);
    out.push(`<text class="y-tick" x="${m.left - 8}" y="${num(sy(t) + 4)}" text-anchor="end">${t.toFixed(2)}</text>`);
  }
  out.push('</g>');
  out.push(`<text class="x-label" x="${m.left + plotW / 2}" y="${height - 14}" text-anchor="middle">${esc(L.xAxis)}</text>`);
  out.push(`<text class="y-label" transform="translate(16 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(L.yAxis[metric])}</text>`);
  if (points.length === 0) {
    out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH / 2}" text-anchor="middle" fill="#666">${esc(L.empty)}</text>`);
  }
  // frontier: connected left to right
  const frontier = points.filter((p) => p.pareto).sort((a, b) => a.p50Ms - b.p50Ms || a[metric] - b[metric]);
  if (frontier.length) {
    out.push(`<polyline class="frontier" fill="none" stroke="#111" stroke-width="2" stroke-dasharray="6 3" points="${
      frontier.map((p) => `${num(sx(p.p50Ms))},${num(sy(p[metric]))}`).join(' ')}"/>`);
  }
  // all points, frontier ones outlined, the current one ringed
  const currentKey = settingKey(report.current);
  // Drawn mixlm first (the many) and frontier points last, so the few never hide under the many.
  const drawOrder: RerankMode[] = ['mixlm', 'cross', 'bi', 'none'];
  const layered = [...points].sort((a, b) => Number(a.pareto) - Number(b.pareto) || drawOrder.indexOf(a.mode) - drawOrder.indexOf(b.mode));
  for (const p of layered) {
    const current = settingKey(p) === currentKey;
    out.push(`<circle class="point" data-mode="${p.mode}" data-topn="${p.topN}" data-alpha="${p.alpha}" data-pareto="${p.pareto}" `
      + `data-current="${current}" cx="${num(sx(p.p50Ms))}" cy="${num(sy(p[metric]))}" r="${p.pareto ? 5 : 3.5}" `
      + `fill="${MODE_COLOURS[p.mode]}" fill-opacity="${p.pareto ? 1 : 0.6}"${p.pareto ? ' stroke="#111" stroke-width="1.5"' : ''}>`
      + `<title>${esc(describePoint(p, L.yAxis[metric], metric))}</title></circle>`);
  }
  const cur = points.find((p) => settingKey(p) === currentKey);
  if (cur) {
    out.push(`<circle class="current" cx="${num(sx(cur.p50Ms))}" cy="${num(sy(cur[metric]))}" r="10" fill="none" stroke="#ff7f0e" stroke-width="3"/>`);
  }
  // legend
  const lx = m.left + plotW + 18;
  let ly = m.top + 8;
  out.push('<g class="legend">');
  for (const mode of Object.keys(MODE_COLOURS) as RerankMode[]) {
    if (!points.some((p) => p.mode === mode)) continue;
    out.push(`<circle cx="${lx + 6}" cy="${ly}" r="5" fill="${MODE_COLOURS[mode]}"/><text x="${lx + 18}" y="${ly + 4}">${esc(L.modes[mode])}</text>`);
    ly += 20;
  }
  out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 14}" y2="${ly}" stroke="#111" stroke-width="2" stroke-dasharray="6 3"/><text x="${lx + 18}" y="${ly + 4}">${esc(L.frontier)}</text>`);
  ly += 20;
  out.push(`<circle cx="${lx + 6}" cy="${ly}" r="7" fill="none" stroke="#ff7f0e" stroke-width="3"/><text x="${lx + 18}" y="${ly + 4}">${esc(L.current)}</text>`);
  out.push('</g></svg>');
  return out.join('\n');
}
