// Folders in (removed only after a confirmation), indexing progress, every file with its state and reason in a
// table that pages and filters (a folder of thousands of files stays one screen), and the models with download
// progress.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  columnFilteringFeature, createColumnHelper, createFilteredRowModel, createPaginatedRowModel, createSortedRowModel,
  filterFn_equalsString, filterFn_includesString, rowPaginationFeature, rowSortingFeature, sortFn_alphanumeric, sortFn_basic,
  tableFeatures, useTable, type ColumnFiltersState, type PaginationState,
} from '@tanstack/react-table';
import type { AppError, FileState, FileStatus, ModelRole } from '../../../core/contract/api.js';
import { FILE_STATES, MODEL_ROLES } from '../../../core/contract/vocabulary.js';
import { appErrorOf } from '../api/api-error.js';
import { DataTable, Pager } from '../components/DataTable.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FolderBrowser } from '../components/FolderBrowser.js';
import { formatBytes } from '../components/format-bytes.js';
import { ProgressBar } from '../components/ProgressBar.js';
import type { StringKey } from '../i18n/strings.js';
import { useApp } from '../state/app-context.js';

const PAGE_SIZES = [25, 50, 100, 200];
const features = tableFeatures({
  columnFilteringFeature,
  rowSortingFeature,
  rowPaginationFeature,
  filteredRowModel: createFilteredRowModel(),
  sortedRowModel: createSortedRowModel(),
  paginatedRowModel: createPaginatedRowModel(),
  filterFns: { includesString: filterFn_includesString, equalsString: filterFn_equalsString },
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
});
const helper = createColumnHelper<typeof features, FileStatus>();

export { formatBytes } from '../components/format-bytes.js';

function useFileColumns() {
  const { t } = useApp();
  return useMemo(() => helper.columns([
    helper.accessor('path', { header: t('file'), filterFn: 'includesString', sortFn: 'alphanumeric', meta: { className: 'path' } }),
    helper.accessor('state', {
      header: t('state'), filterFn: 'equalsString', sortFn: 'alphanumeric',
      cell: (info) => <span className={`state state-${info.getValue()}`}>{t(`fileState_${info.getValue()}` as StringKey)}</span>,
    }),
    helper.accessor('chunks', { header: t('chunks'), sortFn: 'basic', sortDescFirst: true, meta: { className: 'num' } }),
    helper.accessor('bytes', { header: t('size'), sortFn: 'basic', sortDescFirst: true, cell: (info) => formatBytes(info.getValue()), meta: { className: 'num' } }),
    helper.accessor((f) => f.reason ?? f.note?.message ?? '', {
      id: 'reason', header: t('reason'), sortFn: 'alphanumeric', cell: (info) => <FileReason file={info.row.original} />,
    }),
  ]), [t]);
}

export function LibraryScreen() {
  const { t, host, status, refreshStatus, indexProgress } = useApp();
  const api = host.api;
  const [path, setPath] = useState('');
  const [files, setFiles] = useState<FileStatus[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const addButton = useRef<HTMLButtonElement>(null);
  /** Bumped when a folder was picked: the Add button takes the focus, so Enter adds it. */
  const [picked, setPicked] = useState(0);
  useEffect(() => { if (picked) addButton.current?.focus(); }, [picked]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [pagination, setPagination] = useState<PaginationState>({ pageIndex: 0, pageSize: 50 });
  const columns = useFileColumns();
  const table = useTable({
    features, columns, data: files,
    state: { columnFilters, pagination }, onColumnFiltersChange: setColumnFilters, onPaginationChange: setPagination,
    initialState: { sorting: [{ id: 'path', desc: false }] },
  });

  const loadFiles = useCallback(() => {
    api.call('listFiles', {}).then(setFiles, (e) => setError(appErrorOf(e)));
  }, [api]);
  useEffect(loadFiles, [loadFiles]);
  const phase = indexProgress?.phase;
  useEffect(() => {
    if (phase === 'done' || phase === 'error' || phase === 'cancelled') loadFiles();
  }, [phase, loadFiles]);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await refreshStatus();
      loadFiles();
    } catch (err) {
      setError(appErrorOf(err));
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    const folder = path.trim();
    if (folder) void run(() => api.call('addFolder', { path: folder }));
  };
  // Electron's native dialog where the bridge has one; the engine-side folder browser otherwise (serve mode).
  const pick = async () => {
    if (!host.pickFolder) return setBrowsing(true);
    const folder = await host.pickFolder();
    if (folder) choose(folder);
  };
  const choose = (folder: string) => {
    setPath(folder);
    setPicked((n) => n + 1);
  };

  const filterValue = (id: string) => (columnFilters.find((f) => f.id === id)?.value as string | undefined) ?? '';
  const setFilter = (id: string, value: string) => {
    setColumnFilters((fs) => [...fs.filter((f) => f.id !== id), ...(value ? [{ id, value }] : [])]);
    setPagination((p) => ({ ...p, pageIndex: 0 }));
  };
  const counts = Object.fromEntries(FILE_STATES.map((s) => [s, files.filter((f) => f.state === s).length])) as Record<FileState, number>;
  const inFolder = (folder: string) => files.filter((f) => f.path === folder || f.path.startsWith(`${folder}/`) || f.path.startsWith(`${folder}\\`)).length;
  const shown = table.getFilteredRowModel().rows.length;
  const from = shown === 0 ? 0 : pagination.pageIndex * pagination.pageSize + 1;
  const to = Math.min(shown, (pagination.pageIndex + 1) * pagination.pageSize);

  return (
    <section className="library" aria-label={t('libraryHeading')}>
      <h2>{t('libraryHeading')}</h2>
      <form onSubmit={add} className="add-folder">
        <label htmlFor="folder-path">{t('folderPath')}</label>
        <input id="folder-path" type="text" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false}
          placeholder={host.pickFolder ? undefined : t('folderPathHint')} />
        <button type="button" onClick={() => void pick()}>{t('chooseFolder')}</button>
        <button type="submit" ref={addButton} disabled={!path.trim()}>{t('addFolder')}</button>
      </form>
      {browsing ? (
        <FolderBrowser show="folders" start={path.trim() || undefined}
          onChoose={(folder) => { setBrowsing(false); choose(folder); }} onClose={() => setBrowsing(false)} />
      ) : null}
      {error ? <ErrorNote error={error} /> : null}
      {indexProgress ? <ProgressBar progress={indexProgress} /> : null}
      {indexProgress?.error ? <ErrorNote error={indexProgress.error} /> : null}

      <h3>{t('foldersHeading')}</h3>
      {status && status.folders.length ? (
        <ul className="folders" data-testid="folders">
          {status.folders.map((f) => (
            <li key={f}>
              <span>{f}</span>
              {confirming === f ? (
                <span className="confirm" role="alert" data-testid="confirm-remove">
                  {t('confirmRemove', { n: inFolder(f) })}
                  <button type="button" className="danger" onClick={() => { setConfirming(null); void run(() => api.call('removeFolder', { path: f })); }}>{t('removeConfirmed')}</button>
                  <button type="button" onClick={() => setConfirming(null)}>{t('cancel')}</button>
                </span>
              ) : (
                <button type="button" onClick={() => setConfirming(f)} aria-label={`${t('removeFolder')} ${f}`}>{t('removeFolder')}</button>
              )}
            </li>
          ))}
        </ul>
      ) : <p>{t('noFolders')}</p>}
      <button type="button" onClick={() => void run(() => api.call('reindex', {}))}>{t('reindex')}</button>

      <h3>{t('filesHeading')}</h3>
      {files.length === 0 ? <p>{t('filesEmpty')}</p> : (
        <>
          <div className="file-filters">
            <label htmlFor="filter-path">{t('filterPath')}</label>
            <input id="filter-path" type="search" value={filterValue('path')} onChange={(e) => setFilter('path', e.target.value)} />
            <label htmlFor="filter-state">{t('filterState')}</label>
            <select id="filter-state" value={filterValue('state')} onChange={(e) => setFilter('state', e.target.value)}>
              <option value="">{t('allStates', { n: files.length })}</option>
              {FILE_STATES.map((s) => <option key={s} value={s}>{t(`fileState_${s}` as StringKey)} ({counts[s]})</option>)}
            </select>
          </div>
          <DataTable table={table} testId="files-table" className="files" rowProps={(row) => ({ 'data-state': row.original.state })} />
          <Pager page={pagination.pageIndex} pages={table.getPageCount()} from={from} to={to} total={shown} size={pagination.pageSize} sizes={PAGE_SIZES}
            onPage={(p) => setPagination((s) => ({ ...s, pageIndex: p }))} onSize={(size) => setPagination({ pageIndex: 0, pageSize: size })} />
        </>
      )}
      <ModelsSection onError={setError} />
    </section>
  );
}

function ModelsSection({ onError }: { onError(e: AppError): void }) {
  const { t, host, status, refreshStatus, downloads } = useApp();
  const [role, setRole] = useState<ModelRole>('embedder');
  const [folder, setFolder] = useState('');
  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      await refreshStatus();
    } catch (err) {
      onError(appErrorOf(err));
    }
  };
  return (
    <section aria-label={t('modelsHeading')}>
      <h3>{t('modelsHeading')}</h3>
      <ul className="models" data-testid="models">
        {(status?.models ?? []).map((m) => {
          const d = downloads[m.id];
          const active = d && !d.done && !d.error;
          return (
            <li key={`${m.role}:${m.id}`} data-present={m.present}>
              <strong>{m.id}</strong> ({t(`role_${m.role}` as StringKey)}): {m.present ? t('present') : t('missing')}
              {m.provenance ? <span className="provenance"> · {provenanceText(m.provenance, t)}</span> : null}
              {!m.present && m.howToGet ? <p className="hint">{t('howToGet', { how: m.howToGet })}</p> : null}
              {!m.present && !active ? <button type="button" onClick={() => void act(() => host.api.call('downloadModel', { id: m.id }))}>{t('download')} {m.id}</button> : null}
              {active ? (
                <div className="download" data-testid={`download-${m.id}`}>
                  <progress max={d.total ?? undefined} value={d.total ? d.loaded : undefined} aria-label={t('downloadLabel', { id: m.id })} />
                  <span>{t('downloadProgress', { file: d.file, mb: (d.loaded / 1048576).toFixed(1), total: d.total ? (d.total / 1048576).toFixed(1) : '?' })}</span>
                </div>
              ) : null}
              {d?.error ? <ErrorNote error={d.error} /> : null}
            </li>
          );
        })}
      </ul>
      <form className="import-model" onSubmit={(e) => { e.preventDefault(); if (folder.trim()) void act(() => host.api.call('importModel', { role, folder: folder.trim() })); }}>
        <h4>{t('importHeading')}</h4>
        <label htmlFor="import-role">{t('importRole')}</label>
        <select id="import-role" value={role} onChange={(e) => setRole(e.target.value as ModelRole)}>
          {MODEL_ROLES.filter((r) => r !== 'llm').map((r) => <option key={r} value={r}>{t(`role_${r}` as StringKey)}</option>)}
        </select>
        <label htmlFor="import-folder">{t('importFolder')}</label>
        <input id="import-folder" type="text" value={folder} onChange={(e) => setFolder(e.target.value)} />
        <button type="submit" disabled={!folder.trim()}>{t('importButton')}</button>
      </form>
    </section>
  );
}

/** Why a file was not indexed (its problem), or what to know about how it was (its note), in the user's language. */
function FileReason({ file }: { file: FileStatus }) {
  const { tx } = useApp();
  const line = (e: AppError, className: string) => {
    const shown = tx(e);
    return <span className={className} title={shown.detail}>{shown.message}{shown.action ? ` — ${shown.action}` : ''}</span>;
  };
  if (file.problem) return line(file.problem, 'problem-text');
  if (file.note) return line(file.note, 'note-text');
  return <>{file.reason ?? ''}</>;
}

/** The engine's provenance phrases ("downloaded from X", "imported from Y", synthesised) in the interface's language. */
export function provenanceText(p: string, t: (k: StringKey, v?: Record<string, string | number>) => string): string {
  const downloaded = /^downloaded from (.+)$/.exec(p);
  if (downloaded) return t('provenanceDownloaded', { from: downloaded[1]! });
  const imported = /^imported from (.+)$/.exec(p);
  if (imported) return t('provenanceImported', { from: imported[1]! });
  if (/^synthesi[sz]ed/.test(p)) return t('provenanceSynth');
  return p;
}
