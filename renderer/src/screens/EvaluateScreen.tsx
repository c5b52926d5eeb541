// The evaluation workbench: start a run on a collection (or the user's labelled questions), follow and cancel it,
// then read quality against latency for each rerank setting, with the Pareto points one click away.
import { useEffect, useState, type FormEvent } from 'react';
import type { AppError, EvalPhase, EvalPoint, EvalProgressEvent, EvalReport } from '../../../core/contract/api.js';
import type { StringKey } from '../i18n/strings.js';
import { appErrorOf } from '../api/api-error.js';
import { sanitiseSvg } from '../components/answer-html.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FolderBrowser } from '../components/FolderBrowser.js';
import { useApp } from '../state/app-context.js';

/** What each phase of a run says; 'error' shows the error itself. */
const PHASE_TEXT: Record<Exclude<EvalPhase, 'error'>, StringKey> = {
  indexing: 'evalIndexing', scoring: 'evalScoring', grid: 'evalGridPhase', done: 'evalDone', cancelled: 'evalCancelled',
};

export function EvaluateScreen() {
  const { t, host, setSettings } = useApp();
  const [report, setReport] = useState<EvalReport | null | undefined>(undefined);
  const [error, setError] = useState<AppError | null>(null);
  const [applied, setApplied] = useState<EvalPoint | null>(null);
  const [source, setSource] = useState('');
  const [grid, setGrid] = useState(true);
  const [run, setRun] = useState<{ runId: string; collection: string } | null>(null);
  const [progress, setProgress] = useState<EvalProgressEvent | null>(null);
  const [runName, setRunName] = useState('');
  const [browsing, setBrowsing] = useState(false);

  const loadReport = () => host.api.call('getEvalReport', {}).then(setReport, (e) => {
    setReport(null);
    setError(appErrorOf(e));
  });
  useEffect(() => { void loadReport(); }, [host]);

  useEffect(() => host.api.on('onEvalProgress', (p) => {
    if (run && p.runId !== run.runId) return;
    setProgress(p);
    const ended = p.phase === 'done' || p.phase === 'error' || p.phase === 'cancelled';
    // A run started before this screen (or this window) opened is taken over, so it can be followed and cancelled.
    if (!run && !ended) setRun({ runId: p.runId, collection: runName });
    if (ended) {
      setRun(null);
      if (p.error && p.phase === 'error') setError(p.error);
      if (p.phase === 'done') void loadReport();
    }
  }), [host, run]);

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setProgress(null);
    try {
      const started = await host.api.call('startEval', { source: source.trim(), grid });
      setRun({ runId: started.runId, collection: started.collection });
      setRunName(started.collection);
    } catch (err) {
      setError(appErrorOf(err));
    }
  };
  const cancel = async () => {
    if (!run) return;
    try { await host.api.call('cancelEval', { runId: run.runId }); } catch (err) { setError(appErrorOf(err)); }
  };
  // Electron's native dialog where the bridge has one; the engine-side folder browser otherwise (serve mode).
  const pick = async () => {
    if (!host.pickFolder) return setBrowsing(true);
    const folder = await host.pickFolder();
    if (folder) setSource(folder);
  };
  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : progress?.phase === 'done' ? 100 : 0;

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
      <form onSubmit={start} className="eval-start" aria-label={t('evalStartHeading')}>
        <h3>{t('evalStartHeading')}</h3>
        <label htmlFor="eval-source">{t('evalSource')}</label>
        <input id="eval-source" type="text" value={source} onChange={(e) => setSource(e.target.value)} spellCheck={false} aria-describedby="eval-source-hint" disabled={Boolean(run)} />
        <button type="button" onClick={() => void pick()} disabled={Boolean(run)}>{t('chooseFolder')}</button>
        <p id="eval-source-hint" className="hint">{t('evalSourceHint')}</p>
        <label><input type="checkbox" checked={grid} onChange={(e) => setGrid(e.target.checked)} disabled={Boolean(run)} /> {t('evalGrid')}</label>
        {run
          ? <button type="button" onClick={() => void cancel()}>{t('cancel')}</button>
          : <button type="submit" disabled={!source.trim()}>{t('evalStart')}</button>}
      </form>
      {browsing ? (
        <FolderBrowser show="folders" start={source.trim() || undefined}
          onChoose={(folder) => { setBrowsing(false); setSource(folder); }} onClose={() => setBrowsing(false)} />
      ) : null}
      {progress && progress.phase !== 'error' ? (
        <div className="progress" data-testid="eval-progress" data-phase={progress.phase}>
          {run ? (
            <div role="progressbar" aria-label={t('evalProgressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} className="bar">
              <div className="fill" style={{ width: `${pct}%` }} />
            </div>
          ) : null}
          <p role="status">{t(PHASE_TEXT[progress.phase], { done: progress.done, total: progress.total, collection: runName })}</p>
        </div>
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {report === undefined ? <p>{t('loading')}</p> : report === null ? <p>{t('evalNone')}</p> : (
        <>
          <p>{t('evalCollection', { collection: report.collection, queries: report.queries })}</p>
          {report.retrieval ? <p>{t('evalRetrieval', { retrieval: report.retrieval })}</p> : null}
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
