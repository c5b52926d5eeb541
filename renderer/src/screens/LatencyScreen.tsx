// Where the time of the selected question went, stage by stage on one time axis, and how recent questions compare.
import type { AppError, StageTiming } from '../../../core/contract/api.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { HistoryChart, Waterfall } from '../components/Waterfall.js';
import { useApp } from '../state/app-context.js';

const RECENT = 20;

export function LatencyScreen() {
  const { t, session } = useApp();
  const { live, turns, selected } = session;
  const picked: { question: string; timings: StageTiming[]; notice?: AppError } | null = live && live.requestId === selected
    ? { question: live.question, timings: live.result?.timings ?? live.timings, notice: live.result?.search.crossLanguage }
    : (() => {
      const turn = turns.find((x) => x.requestId === selected && x.result) ?? [...turns].reverse().find((x) => x.result);
      return turn?.result ? { question: turn.question, timings: turn.result.timings, notice: turn.result.search.crossLanguage } : null;
    })();
  const recent = session.recent.slice(-RECENT).map((a) => ({ label: a.question, timings: a.timings }));
  return (
    <section aria-label={t('latencyHeading')} className="latency">
      <h2>{t('latencyHeading')}</h2>
      {!picked || picked.timings.length === 0 ? <p>{t('latencyNone')}</p> : (
        <>
          <p className="question">{picked.question}</p>
          {picked.notice ? <ErrorNote error={picked.notice} /> : null}
          <Waterfall timings={picked.timings} />
        </>
      )}
      <h3>{t('recentHeading')}</h3>
      <HistoryChart items={recent} />
    </section>
  );
}
