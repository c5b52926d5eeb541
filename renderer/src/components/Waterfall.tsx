// Latency waterfall: one bar per pipeline stage at its start offset, plus a table with ms, provider and model.
import type { StageName, StageTiming } from '../../../core/contract/api.js';
import { useApp } from '../state/app-context.js';
import { STAGE_ORDER } from './stage-order.js';


interface Bar { stage: StageName; timing: StageTiming | null; start: number; }

/** Latest timing per stage in pipeline order; stages without startMs follow the one before. */
export function layoutStages(timings: StageTiming[]): Bar[] {
  const latest = new Map<StageName, StageTiming>();
  for (const t of timings) latest.set(t.stage, t);
  let cursor = 0;
  return STAGE_ORDER.map((stage) => {
    const timing = latest.get(stage) ?? null;
    const start = timing?.startMs ?? cursor;
    if (timing && stage !== 'llmFirstToken') cursor = Math.max(cursor, start + timing.ms);
    return { stage, timing, start };
  });
}

export function totalMs(timings: StageTiming[]): number {
  return layoutStages(timings).reduce((m, b) => Math.max(m, b.timing ? b.start + b.timing.ms : 0), 0);
}

const ROW = 22;
const LABEL = 110;
const WIDTH = 640;

export function Waterfall({ timings }: { timings: StageTiming[] }) {
  const { t } = useApp();
  const bars = layoutStages(timings);
  const total = Math.max(1, totalMs(timings));
  const scale = (WIDTH - LABEL - 70) / total;
  return (
    <div className="waterfall">
      <svg role="img" aria-label="waterfall" width={WIDTH} height={bars.length * ROW + 8} data-testid="waterfall-chart">
        {bars.map((b, i) => (
          <g key={b.stage} transform={`translate(0 ${i * ROW + 4})`}>
            <text x={0} y={14} className="wf-label">{b.stage}</text>
            {b.timing ? (
              <>
                <rect x={LABEL + b.start * scale} y={3} width={Math.max(2, b.timing.ms * scale)} height={ROW - 8} className={`wf-bar wf-${b.stage}`} />
                <text x={LABEL + (b.start + b.timing.ms) * scale + 4} y={14} className="wf-ms">{formatMs(b.timing.ms)}</text>
              </>
            ) : (
              <text x={LABEL} y={14} className="wf-missing">{t('notRun')}</text>
            )}
          </g>
        ))}
      </svg>
      <table className="stage-table" data-testid="stage-table">
        <thead>
          <tr><th scope="col">{t('stage')}</th><th scope="col">{t('ms')}</th><th scope="col">{t('provider')}</th><th scope="col">{t('model')}</th><th scope="col">{t('note')}</th></tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.stage} data-testid={`stage-${b.stage}`} data-ms={b.timing?.ms ?? ''}>
              <th scope="row">{b.stage}</th>
              <td className="num">{b.timing ? formatMs(b.timing.ms) : '—'}</td>
              <td>{b.timing?.provider ?? ''}</td>
              <td>{b.timing?.model ?? ''}</td>
              <td>{b.timing ? (b.timing.note ?? '') : t('notRun')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

/** Total time of recent questions, oldest first, as small bars. */
export function HistoryChart({ totals }: { totals: { label: string; ms: number }[] }) {
  const { t } = useApp();
  const max = Math.max(1, ...totals.map((x) => x.ms));
  const w = 16;
  const h = 80;
  return (
    <svg role="img" aria-label={t('recentHeading')} width={Math.max(1, totals.length) * (w + 4)} height={h + 4} data-testid="history-chart">
      {totals.map((x, i) => {
        const bh = Math.max(1, (x.ms / max) * h);
        return (
          <rect key={i} x={i * (w + 4)} y={h - bh} width={w} height={bh} className="hist-bar">
            <title>{`${x.label}: ${formatMs(x.ms)} ms`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
