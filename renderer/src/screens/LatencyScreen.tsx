// Where the time of the last question went, stage by stage, and how recent questions compare.
import { ErrorNote } from '../components/ErrorNote.js';
import { HistoryChart, totalMs, Waterfall } from '../components/Waterfall.js';
import { useApp } from '../state/app-context.js';

const RECENT = 20;

export function LatencyScreen() {
  const { t, session } = useApp();
  const timings = session.live?.result?.timings ?? session.live?.timings ?? [];
  const recent = session.answers.slice(0, RECENT).reverse().map((a) => ({ label: a.question, ms: totalMs(a.timings) }));
  return (
    <section aria-label={t('latencyHeading')} className="latency">
      <h2>{t('latencyHeading')}</h2>
      {timings.length === 0 ? <p>{t('latencyNone')}</p> : (
        <>
          <p className="question">{session.live?.question}</p>
          {session.live?.result?.search.crossLanguage ? <ErrorNote error={session.live.result.search.crossLanguage} /> : null}
          <Waterfall timings={timings} />
        </>
      )}
      <h3>{t('recentHeading')}</h3>
      <HistoryChart totals={recent} />
    </section>
  );
}
