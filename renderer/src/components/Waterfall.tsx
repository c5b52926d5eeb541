// Latency charts (visx: scales and axes, our own bars). The waterfall draws each stage from the moment it started
// to when it ended on one millisecond axis; the history chart stacks recent questions' retrieval, rerank and answer
// time on a labelled millisecond axis. A table beside the waterfall keeps the exact numbers, provider and model.
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import type { StageName, StageTiming } from '../../../core/contract/api.js';
import type { StringKey } from '../i18n/strings.js';
import { localiseStageNote } from '../i18n/messages.js';
import { useApp } from '../state/app-context.js';
import { formatMs, layoutStages, PHASE_OF, PHASES, phaseSpans, totalMs } from './stage-layout.js';

const stageKey = (s: StageName) => `stage_${s}` as StringKey;
const MARGIN = { top: 8, right: 64, bottom: 40, left: 150 };
const ROW = 24;
const WIDTH = 760;

export function Waterfall({ timings }: { timings: StageTiming[] }) {
  const { t, lang } = useApp();
  const bars = layoutStages(timings);
  const total = Math.max(1, totalMs(timings));
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = bars.length * ROW;
  const x = scaleLinear<number>({ domain: [0, total], range: [0, innerW], nice: true });
  const y = scaleBand<string>({ domain: bars.map((b) => b.stage), range: [0, innerH], padding: 0.25 });
  return (
    <div className="waterfall">
      <svg role="img" aria-label={t('waterfallLabel', { ms: formatMs(total) })} width={WIDTH} height={innerH + MARGIN.top + MARGIN.bottom} data-testid="waterfall-chart">
        <Group left={MARGIN.left} top={MARGIN.top}>
          {x.ticks(6).map((v) => <line key={v} x1={x(v)} x2={x(v)} y1={0} y2={innerH} className="grid-line" />)}
          {bars.map((b) => {
            const top = y(b.stage) ?? 0;
            if (!b.timing) return <text key={b.stage} x={4} y={top + y.bandwidth() / 2 + 4} className="wf-missing">{t('notRun')}</text>;
            const x0 = x(b.start);
            const w = Math.max(2, x(b.start + b.timing.ms) - x0);
            return (
              <g key={b.stage} data-testid={`wf-bar-${b.stage}`} data-start={b.start} data-ms={b.timing.ms}>
                <rect x={x0} y={top} width={w} height={y.bandwidth()} className={`wf-bar wf-${PHASE_OF[b.stage]}`}>
                  <title>{t('waterfallBar', { stage: t(stageKey(b.stage)), start: formatMs(b.start), ms: formatMs(b.timing.ms) })}</title>
                </rect>
                <text x={x0 + w + 4} y={top + y.bandwidth() / 2 + 4} className="wf-ms">{formatMs(b.timing.ms)} ms</text>
              </g>
            );
          })}
          <AxisLeft scale={y} hideTicks tickFormat={(s) => t(stageKey(s as StageName))} axisClassName="axis" tickLabelProps={{ className: 'axis-tick', textAnchor: 'end', dy: '0.33em' }} />
          <AxisBottom top={innerH} scale={x} numTicks={6} label={t('axisMsSinceQuestion')} axisClassName="axis"
            tickLabelProps={{ className: 'axis-tick', textAnchor: 'middle' }} labelClassName="axis-label" labelProps={{ className: 'axis-label', textAnchor: 'middle' }} />
        </Group>
      </svg>
      <table className="stage-table" data-testid="stage-table">
        <thead>
          <tr><th scope="col">{t('stage')}</th><th scope="col">{t('startsAt')}</th><th scope="col">{t('ms')}</th><th scope="col">{t('provider')}</th><th scope="col">{t('model')}</th><th scope="col">{t('note')}</th></tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.stage} data-testid={`stage-${b.stage}`} data-ms={b.timing?.ms ?? ''}>
              <th scope="row">{t(stageKey(b.stage))}</th>
              <td className="num">{b.timing ? formatMs(b.start) : '—'}</td>
              <td className="num">{b.timing ? formatMs(b.timing.ms) : '—'}</td>
              <td>{b.timing?.provider ?? ''}</td>
              <td className="model-cell">{b.timing?.model ?? ''}</td>
              <td>{b.timing ? localiseStageNote(lang, b.timing) : t('notRun')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const HIST = { width: 760, height: 260, margin: { top: 24, right: 16, bottom: 48, left: 64 } };

/** Recent questions, oldest first: one stacked bar each (retrieval, rerank, answer), its total written on top. */
export function HistoryChart({ items }: { items: { label: string; timings: StageTiming[] }[] }) {
  const { t } = useApp();
  if (items.length === 0) return <p className="hint">{t('recentNone')}</p>;
  const { margin } = HIST;
  const innerW = HIST.width - margin.left - margin.right;
  const innerH = HIST.height - margin.top - margin.bottom;
  const rows = items.map((it, i) => ({ ...it, key: String(i + 1), spans: phaseSpans(it.timings), total: totalMs(it.timings) }));
  const x = scaleBand<string>({ domain: rows.map((r) => r.key), range: [0, innerW], padding: 0.3 });
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...rows.map((r) => r.total))], range: [innerH, 0], nice: true });
  return (
    <figure className="history-chart">
      <svg role="img" aria-label={t('recentHeading')} width={HIST.width} height={HIST.height} data-testid="history-chart">
        <Group left={margin.left} top={margin.top}>
          {y.ticks(5).map((v) => <line key={v} x1={0} x2={innerW} y1={y(v)} y2={y(v)} className="grid-line" />)}
          {rows.map((r) => {
            let acc = 0;
            const left = x(r.key) ?? 0;
            return (
              <g key={r.key} data-testid="history-bar" data-total={r.total}>
                {PHASES.map((p) => {
                  const from = acc;
                  acc += r.spans[p];
                  return r.spans[p] > 0 ? (
                    <rect key={p} x={left} y={y(acc)} width={x.bandwidth()} height={Math.max(0, y(from) - y(acc))} className={`hist-bar wf-${p}`}>
                      <title>{`${r.label}\n${t(`phase_${p}` as StringKey)}: ${formatMs(r.spans[p])} ms`}</title>
                    </rect>
                  ) : null;
                })}
                <text x={left + x.bandwidth() / 2} y={y(r.total) - 4} textAnchor="middle" className="hist-value">{formatMs(r.total)}</text>
              </g>
            );
          })}
          <AxisLeft scale={y} numTicks={5} label={t('axisTotalMs')} axisClassName="axis" tickLabelProps={{ className: 'axis-tick', textAnchor: 'end', dy: '0.33em' }}
            labelProps={{ className: 'axis-label', textAnchor: 'middle' }} />
          <AxisBottom top={innerH} scale={x} label={t('axisQuestion')} axisClassName="axis" tickLabelProps={{ className: 'axis-tick', textAnchor: 'middle' }}
            labelProps={{ className: 'axis-label', textAnchor: 'middle' }} />
        </Group>
      </svg>
      <figcaption className="legend">
        {PHASES.map((p) => <span key={p}><span className={`swatch wf-${p}`} aria-hidden="true" /> {t(`phase_${p}` as StringKey)}</span>)}
      </figcaption>
      <ol className="history-questions" data-testid="history-questions">
        {rows.map((r) => <li key={r.key}>{r.label} — {formatMs(r.total)} ms</li>)}
      </ol>
    </figure>
  );
}
