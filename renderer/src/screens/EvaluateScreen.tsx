// The evaluation report: quality against latency for each rerank setting, with the Pareto points one click away.
import { useEffect, useState } from 'react';
import type { AppError, EvalPoint, EvalReport } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import { sanitiseSvg } from '../components/answer-html.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useApp } from '../state/app-context.js';

export function EvaluateScreen() {
  const { t, host, setSettings } = useApp();
  const [report, setReport] = useState<EvalReport | null | undefined>(undefined);
  const [error, setError] = useState<AppError | null>(null);
  const [applied, setApplied] = useState<EvalPoint | null>(null);

  useEffect(() => {
    host.api.call('getEvalReport', {}).then(setReport, (e) => {
      setReport(null);
      setError(appErrorOf(e));
    });
  }, [host]);

  const apply = async (p: EvalPoint) => {
    setError(null);
    try {
      // N and alpha only mean something for mixlm (the report gives 0 elsewhere, which settings would refuse).
      const change = p.mode === 'mixlm' ? { rerankMode: p.mode, topN: p.topN, alpha: p.alpha } : { rerankMode: p.mode };
      setSettings(await host.api.call('updateSettings', change));
      setApplied(p);
    } catch (err) {
      setError(appErrorOf(err));
    }
  };

  return (
    <section className="evaluate" aria-label={t('evaluateHeading')}>
      <h2>{t('evaluateHeading')}</h2>
      {error ? <ErrorNote error={error} /> : null}
      {report === undefined ? <p>{t('loading')}</p> : report === null ? <p>{t('evalNone')}</p> : (
        <>
          <p>{t('evalCollection', { collection: report.collection, queries: report.queries })}</p>
          {report.warning ? <p className="warning" role="note">{report.warning}</p> : null}
          {report.provenance.length ? <ul className="provenance">{report.provenance.map((p) => <li key={p}>{p}</li>)}</ul> : null}
          {/* Sanitised with DOMPurify's SVG profile: no scripts, no foreignObject, no external references. */}
          {report.svg ? <div className="eval-chart" data-testid="eval-chart" dangerouslySetInnerHTML={{ __html: sanitiseSvg(report.svg) }} /> : null}
          {applied ? <p role="status">{t('applied', { mode: applied.mode, topN: applied.topN, alpha: applied.alpha })}</p> : null}
          <table data-testid="eval-table">
            <caption>{t('paretoPoints')}</caption>
            <thead><tr><th scope="col">{t('mode')}</th><th scope="col">N</th><th scope="col">α</th><th scope="col">nDCG@10</th><th scope="col">MRR@10</th><th scope="col">R@100</th><th scope="col">p50 ms</th><th scope="col" /></tr></thead>
            <tbody>
              {/* Every measured setting can be applied; the Pareto ones come first and are starred. */}
              {[...report.points].sort((a, b) => Number(b.pareto) - Number(a.pareto)).map((p) => (
                <tr key={`${p.mode}-${p.topN}-${p.alpha}`} data-pareto={p.pareto ? 'yes' : 'no'} className={p.pareto ? 'pareto' : undefined}>
                  <td>{p.pareto ? '★ ' : ''}{p.mode}</td><td className="num">{p.topN}</td><td className="num">{p.alpha}</td>
                  <td className="num">{p.ndcg10.toFixed(3)}</td><td className="num">{p.mrr10.toFixed(3)}</td>
                  <td className="num">{p.recall100.toFixed(3)}</td><td className="num">{p.p50Ms.toFixed(0)}</td>
                  <td><button type="button" onClick={() => void apply(p)}>{t('apply')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
