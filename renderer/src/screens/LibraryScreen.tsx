// Folders in, progress while indexing, every file with its state and reason, and which models are present.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AppError, FileStatus, IndexProgress, ModelRole } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { useApp } from '../state/app-context.js';

export function LibraryScreen() {
  const { t, host, status, refreshStatus } = useApp();
  const api = host.api;
  const [path, setPath] = useState('');
  const [progress, setProgress] = useState<IndexProgress | null>(status?.indexing ?? null);
  const [files, setFiles] = useState<FileStatus[]>([]);
  const [error, setError] = useState<AppError | null>(null);

  const loadFiles = useCallback(() => {
    api.call('listFiles', {}).then(setFiles, (e) => setError(appErrorOf(e)));
  }, [api]);
  useEffect(loadFiles, [loadFiles]);
  useEffect(() => api.on('onIndexProgress', (p) => {
    setProgress(p);
    if (p.phase === 'done' || p.phase === 'error') loadFiles();
  }), [api, loadFiles]);

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
  const pick = async () => {
    const folder = await host.pickFolder?.();
    if (folder) setPath(folder);
  };

  return (
    <section className="library" aria-label={t('libraryHeading')}>
      <h2>{t('libraryHeading')}</h2>
      <form onSubmit={add} className="add-folder">
        <label htmlFor="folder-path">{t('folderPath')}</label>
        <input id="folder-path" type="text" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
        {host.pickFolder ? <button type="button" onClick={() => void pick()}>{t('chooseFolder')}</button> : null}
        <button type="submit" disabled={!path.trim()}>{t('addFolder')}</button>
      </form>
      {error ? <ErrorNote error={error} /> : null}
      {progress ? <ProgressBar progress={progress} /> : null}
      {progress?.error ? <ErrorNote error={progress.error} /> : null}

      <h3>{t('foldersHeading')}</h3>
      {status && status.folders.length ? (
        <ul className="folders" data-testid="folders">
          {status.folders.map((f) => (
            <li key={f}>
              <span>{f}</span>
              <button type="button" onClick={() => void run(() => api.call('removeFolder', { path: f }))} aria-label={`${t('removeFolder')} ${f}`}>{t('removeFolder')}</button>
            </li>
          ))}
        </ul>
      ) : <p>{t('noFolders')}</p>}
      <button type="button" onClick={() => void run(() => api.call('reindex', {}))}>{t('reindex')}</button>

      <h3>{t('filesHeading')}</h3>
      {files.length === 0 ? <p>{t('filesEmpty')}</p> : (
        <table className="files" data-testid="files-table">
          <thead><tr><th scope="col">{t('file')}</th><th scope="col">{t('state')}</th><th scope="col">{t('chunks')}</th><th scope="col">{t('reason')}</th></tr></thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path} data-state={f.state}>
                <td>{f.path}</td>
                <td>{f.state}</td>
                <td className="num">{f.chunks}</td>
                <td>{f.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ModelsSection onError={setError} />
    </section>
  );
}

function ModelsSection({ onError }: { onError(e: AppError): void }) {
  const { t, host, status, refreshStatus } = useApp();
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
        {(status?.models ?? []).map((m) => (
          <li key={`${m.role}:${m.id}`} data-present={m.present}>
            <strong>{m.id}</strong> ({m.role}): {m.present ? t('present') : t('missing')}
            {m.provenance ? <span className="provenance"> · {m.provenance}</span> : null}
            {!m.present && m.howToGet ? <p className="hint">{t('howToGet', { how: m.howToGet })}</p> : null}
            {!m.present ? <button type="button" onClick={() => void act(() => host.api.call('downloadModel', { id: m.id }))}>{t('download')} {m.id}</button> : null}
          </li>
        ))}
      </ul>
      <form className="import-model" onSubmit={(e) => { e.preventDefault(); if (folder.trim()) void act(() => host.api.call('importModel', { role, folder: folder.trim() })); }}>
        <h4>{t('importHeading')}</h4>
        <label htmlFor="import-role">{t('importRole')}</label>
        <select id="import-role" value={role} onChange={(e) => setRole(e.target.value as ModelRole)}>
          <option value="embedder">embedder</option>
          <option value="cross-encoder">cross-encoder</option>
          <option value="llm">llm</option>
        </select>
        <label htmlFor="import-folder">{t('importFolder')}</label>
        <input id="import-folder" type="text" value={folder} onChange={(e) => setFolder(e.target.value)} />
        <button type="submit" disabled={!folder.trim()}>{t('importButton')}</button>
      </form>
    </section>
  );
}
