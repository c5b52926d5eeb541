// The K candidates of the last question: how reranking moved each one, every score, and the same question rerun
// as full cross-encoder and as bi-encoder only, side by side.
import { useState } from 'react';
import type { AppError, RerankedCandidate, SearchResult } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { basename } from '../components/SourcesPanel.js';
import { formatMs } from '../components/Waterfall.js';
import { useApp } from '../state/app-context.js';
import type { StringKey } from '../i18n/strings.js';

type SortKey = 'rankAfter' | 'rankBefore' | 'biScore' | 'crossScore' | 'biNorm' | 'crossNorm' | 'finalScore' | 'crossScored';
const COLUMNS: { key: SortKey; label: StringKey }[] = [
  { key: 'rankAfter', label: 'rankBeforeAfter' },
  { key: 'biScore', label: 'biScore' },
  { key: 'crossScore', label: 'crossScore' },
  { key: 'biNorm', label: 'biNorm' },
  { key: 'crossNorm', label: 'crossNorm' },
  { key: 'finalScore', label: 'fused' },
  { key: 'crossScored', label: 'crossScored' },
];
const COMPARE_ROWS = 10;

export function sortCandidates(cands: RerankedCandidate[], key: SortKey, asc: boolean): RerankedCandidate[] {
  const value = (c: RerankedCandidate): number => {
    const v = c[key];
    if (typeof v === 'boolean') return v ? 1 : 0;
    return v ?? Number.NEGATIVE_INFINITY;
  };
  return [...cands].sort((a, b) => (asc ? value(a) - value(b) : value(b) - value(a)) || a.rankAfter - b.rankAfter);
}

export function rerankMs(search: SearchResult): number {
  return search.timings.filter((x) => x.stage === 'bi' || x.stage === 'cross' || x.stage === 'fusion').reduce((s, x) => s + x.ms, 0);
}

export function InspectorScreen() {
  const { t, session, host } = useApp();
  const search = session.search;
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'rankAfter', asc: true });
  const [reruns, setReruns] = useState<{ queryId: string; cross?: SearchResult; bi?: SearchResult }>({ queryId: '' });
  const [error, setError] = useState<AppError | null>(null);
  const [running, setRunning] = useState(false);

  if (!search) return <section className="inspector"><h2>{t('inspectorHeading')}</h2><p>{t('inspectorNone')}</p></section>;
  const mine = reruns.queryId === search.queryId ? reruns : { queryId: search.queryId };

  const rerun = async (mode: 'cross' | 'bi') => {
    setRunning(true);
    setError(null);
    try {
      const params = { mode, alpha: search.alpha, normalisation: search.normalisation, finalK: search.finalK, topN: mode === 'cross' ? search.candidates.length : search.topN };
      const result = await host.api.call('search', { question: search.question, params, retrieveK: search.candidates.length });
      setReruns((r) => ({ ...(r.queryId === search.queryId ? r : {}), queryId: search.queryId, [mode]: result }));
    } catch (err) {
      setError(appErrorOf(err));
    } finally {
      setRunning(false);
    }
  };
  const toggle = (key: SortKey) => setSort((s) => ({ key, asc: s.key === key ? !s.asc : key === 'rankAfter' }));
  const rows = sortCandidates(search.candidates, sort.key, sort.asc);

  return (
    <section className="inspector" aria-label={t('inspectorHeading')}>
      <h2>{t('inspectorHeading')}</h2>
      <p className="question">{search.question} · {search.mode} · α={search.alpha} · N={search.topN} · {search.normalisation}</p>
      {search.cross.status !== 'ok' ? <ErrorNote error={search.cross.error} /> : null}
      {search.crossLanguage ? <ErrorNote error={search.crossLanguage} /> : null}
      <div className="rerun">
        <button type="button" onClick={() => void rerun('cross')} disabled={running}>{t('rerunCross')}</button>
        <button type="button" onClick={() => void rerun('bi')} disabled={running}>{t('rerunBi')}</button>
      </div>
      {error ? <ErrorNote error={error} /> : null}
      {mine.cross || mine.bi ? (
        <section aria-label={t('compareHeading')} className="compare" data-testid="compare">
          <h3>{t('compareHeading')}</h3>
          <div className="compare-columns">
            <OrderColumn title={t('currentOrder', { mode: search.mode })} search={search} />
            {mine.cross ? <OrderColumn title={t('rerunCross')} search={mine.cross} /> : null}
            {mine.bi ? <OrderColumn title={t('rerunBi')} search={mine.bi} /> : null}
          </div>
        </section>
      ) : null}
      <table className="candidates" data-testid="inspector-table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
                <button type="button" onClick={() => toggle(c.key)} aria-label={t('sortBy', { column: t(c.label) })}>{t(c.label)}</button>
              </th>
            ))}
            <th scope="col">{t('passagePreview')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.chunkId} data-testid="candidate-row" data-chunk={c.chunkId} className={c.rankAfter <= search.finalK ? 'in-top' : ''}>
              <td className="num"><RankMove before={c.rankBefore} after={c.rankAfter} /></td>
              <td className="num">{fmt(c.biScore)}</td>
              <td className="num">{fmt(c.crossScore)}</td>
              <td className="num">{fmt(c.biNorm)}</td>
              <td className="num">{fmt(c.crossNorm)}</td>
              <td className="num">{fmt(c.finalScore)}</td>
              <td>{c.crossScored ? t('yes') : t('no')}</td>
              <td className="preview" title={c.path}>{basename(c.path)}: {c.text.slice(0, 120)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RankMove({ before, after }: { before: number; after: number }) {
  const arrow = after < before ? '▲' : after > before ? '▼' : '＝';
  const cls = after < before ? 'up' : after > before ? 'down' : 'same';
  return <span className={`rank-move ${cls}`}>{before} → {after} <span aria-hidden="true">{arrow}</span></span>;
}

function OrderColumn({ title, search }: { title: string; search: SearchResult }) {
  const { t } = useApp();
  return (
    <div className="order-column" data-testid={`order-${search.mode}`}>
      <h4>{title}</h4>
      <p className="timing">{t('rerankMs', { ms: formatMs(rerankMs(search)) })}</p>
      <ol>
        {search.candidates.slice(0, COMPARE_ROWS).map((c) => (
          <li key={c.chunkId} data-chunk={c.chunkId}>#{c.chunkId} {basename(c.path)} <span className="num">{fmt(c.finalScore)}</span></li>
        ))}
      </ol>
    </div>
  );
}

export function fmt(x: number | null): string {
  return x == null ? '—' : x.toFixed(3);
}
