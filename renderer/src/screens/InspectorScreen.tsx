// The K candidates of the selected question: the question retrieval really ran on, each candidate's BM25 and dense
// evidence and ranks, how reranking moved it, every score, and its file and page; a row opens its passage. The same
// question can be rerun as full cross-encoder and as bi-encoder only, side by side.
import { useMemo, useState } from 'react';
import {
  createColumnHelper, createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, sortFn_basic, tableFeatures, useTable,
} from '@tanstack/react-table';
import type { AppError, RerankedCandidate, SearchResult } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { PassageView } from '../components/PassageView.js';
import { fmt, where } from '../components/candidate-format.js';
import { formatMs } from '../components/stage-layout.js';
import type { StringKey } from '../i18n/strings.js';
import { useApp } from '../state/app-context.js';

const COMPARE_ROWS = 10;
const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
});
const helper = createColumnHelper<typeof features, RerankedCandidate>();

export function rerankMs(search: SearchResult): number {
  return search.timings.filter((x) => x.stage === 'bi' || x.stage === 'cross' || x.stage === 'fusion').reduce((s, x) => s + x.ms, 0);
}

function useColumns() {
  const { t } = useApp();
  return useMemo(() => {
    // Missing values (no vectors, not in the BM25 list) sort last whichever way.
    const num = (id: keyof RerankedCandidate, label: StringKey, help: StringKey, kind: 'score' | 'rank') => helper.accessor((c) => (c[id] as number | null) ?? undefined, {
      id, header: t(label), sortUndefined: 'last', sortDescFirst: kind === 'score', sortFn: 'basic',
      cell: (info) => (kind === 'rank' ? (info.getValue() ?? '—') : fmt(info.getValue())),
      meta: { className: 'num', help: t(help) },
    });
    return helper.columns([
      helper.accessor('rankAfter', {
        header: t('rankBeforeAfter'), sortFn: 'basic', meta: { className: 'num', help: t('helpRankMove') },
        cell: (info) => <RankMove before={info.row.original.rankBefore} after={info.getValue()} />,
      }),
      num('bm25Rank', 'bm25Rank', 'helpBm25', 'rank'),
      num('bm25Score', 'bm25Score', 'helpBm25', 'score'),
      num('denseRank', 'denseRank', 'helpDense', 'rank'),
      num('denseScore', 'denseScore', 'helpDense', 'score'),
      num('biScore', 'biScore', 'helpBi', 'score'),
      num('crossScore', 'crossScore', 'helpCross', 'score'),
      num('biNorm', 'biNorm', 'helpNorm', 'score'),
      num('crossNorm', 'crossNorm', 'helpNorm', 'score'),
      num('finalScore', 'fused', 'helpFused', 'score'),
      helper.accessor((c) => (c.crossScored ? 1 : 0), {
        id: 'crossScored', header: t('crossScored'), sortFn: 'basic', sortDescFirst: true,
        cell: (info) => (info.getValue() ? t('yes') : t('no')),
      }),
      helper.accessor((c) => where(c, (page) => t('passagePage', { page })), {
        id: 'where', header: t('fileAndPage'), sortFn: 'alphanumeric', meta: { className: 'where' },
      }),
      helper.display({
        id: 'preview', header: t('passagePreview'), meta: { className: 'preview' },
        cell: (info) => info.row.original.text.slice(0, 120),
      }),
    ]);
  }, [t]);
}

export function InspectorScreen() {
  const { t, session, host } = useApp();
  const search = session.search;
  const columns = useColumns();
  const [reruns, setReruns] = useState<{ queryId: string; cross?: SearchResult; bi?: SearchResult }>({ queryId: '' });
  const [error, setError] = useState<AppError | null>(null);
  const [running, setRunning] = useState(false);
  const [opened, setOpened] = useState<number | null>(null);
  const data = useMemo(() => search?.candidates ?? [], [search]);
  const table = useTable({ features, columns, data, initialState: { sorting: [{ id: 'rankAfter', desc: false }] } });

  if (!search) return <section className="inspector"><h2>{t('inspectorHeading')}</h2><p>{t('inspectorNone')}</p></section>;
  const mine = reruns.queryId === search.queryId ? reruns : { queryId: search.queryId };
  // The question as asked, when retrieval ran on a rewritten (standalone) form of it.
  const asked = [...session.turns.map((x) => x.result), session.live?.result].find((r) => r?.search.queryId === search.queryId)?.question;

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

  return (
    <section className="inspector" aria-label={t('inspectorHeading')}>
      <h2>{t('inspectorHeading')}</h2>
      <p className="question" data-testid="inspector-question">
        {asked && asked !== search.question ? <>{t('askedAs', { question: asked })} · </> : null}
        <strong>{t('retrievedWith', { question: search.question })}</strong>
      </p>
      <p className="hint">{search.mode} · α={search.alpha} · N={search.topN} · {search.normalisation} · {t('candidatesCount', { n: search.candidates.length, k: search.finalK })}</p>
      {search.dense.status !== 'ok' ? <ErrorNote error={search.dense.error} /> : null}
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
      <div className="inspector-body">
        <div className="table-scroll">
          <DataTable table={table} testId="inspector-table" className="candidates"
            rowProps={(row) => ({ 'data-testid': 'candidate-row', 'data-chunk': String(row.original.chunkId), className: row.original.rankAfter <= search.finalK ? 'in-top' : undefined })}
            onOpen={(row) => setOpened(row.original.chunkId)} />
        </div>
        {opened != null ? <PassageView chunkId={opened} onClose={() => setOpened(null)} /> : null}
      </div>
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
          <li key={c.chunkId} data-chunk={c.chunkId}>{where(c, (page) => t('passagePage', { page }))} <span className="num">{fmt(c.finalScore)}</span></li>
        ))}
      </ol>
    </div>
  );
}
