// A folder (or GGUF file) picker for windows without a native dialog: serve mode in a browser, and GGUF files in
// Electron (its bridge picks folders only). It lists the engine's machine through `browseFolder`, so the paths are
// the ones the engine will read. A modal <dialog>: focus stays inside, Esc closes it. Keys on the list: arrows,
// Home/End, PageUp/PageDown, typing a name; Enter or → opens a folder (Enter on a file chooses it); Backspace,
// ← or Alt+↑ go up; Ctrl+Enter chooses from anywhere in the dialog.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import type { AppError, BrowseShow, FolderEntry, FolderListing } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import type { StringKey } from '../i18n/strings.js';
import { useApp } from '../state/app-context.js';
import { findByPrefix, movedRow } from './browse-keys.js';
import { ErrorNote } from './ErrorNote.js';
import { formatBytes } from './format-bytes.js';

/** Typed letters within this long of each other make one name to find. */
const TYPEAHEAD_MS = 800;

export interface FolderBrowserProps {
  show: BrowseShow;
  /** Where to open: a folder, or a GGUF file to select in its folder. Home when absent or no longer there. */
  start?: string;
  onChoose(path: string): void;
  onClose(): void;
}

interface LoadOptions {
  hidden: boolean;
  /** The entry to select once listed (the folder just left, when going up). */
  select?: string;
  /** When this path cannot be listed, open at home without an error (a stale start path). */
  orHome?: boolean;
}

export function FolderBrowser({ show, start, onChoose, onClose }: FolderBrowserProps) {
  const { t, host } = useApp();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [pathText, setPathText] = useState('');
  const [active, setActive] = useState(0);
  const [error, setError] = useState<AppError | null>(null);
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(true);
  const loadSeq = useRef(0);
  const typed = useRef({ text: '', at: 0 });

  const load = useCallback(async (path: string | undefined, opts: LoadOptions): Promise<void> => {
    const seq = ++loadSeq.current;
    setBusy(true);
    try {
      const next = await host.api.call('browseFolder', { ...(path ? { path } : {}), show, ...(opts.hidden ? { hidden: true } : {}) });
      if (seq !== loadSeq.current) return;
      const want = opts.select ?? next.selected;
      setListing(next);
      setPathText(next.path);
      setError(null);
      setActive(Math.max(0, want ? next.entries.findIndex((e) => e.path === want) : 0));
      listRef.current?.focus();
    } catch (err) {
      if (seq !== loadSeq.current) return;
      if (opts.orHome && path) return load(undefined, { hidden: opts.hidden });
      setError(appErrorOf(err));
    } finally {
      if (seq === loadSeq.current) setBusy(false);
    }
  }, [host, show]);

  // Opened as a modal once; closed before it leaves the page, so the browser gives focus back to the opener.
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  useEffect(() => {
    void load(start, { hidden: false, orHome: true });
  }, [load, start]);
  useEffect(() => {
    document.getElementById(`browse-row-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, listing]);

  const entries = listing?.entries ?? [];
  const current = entries[active];
  const chosen = show === 'folders' ? listing?.path : current?.kind === 'file' ? current.path : undefined;
  const choose = () => { if (chosen) onChoose(chosen); };
  const goUp = () => { if (listing?.parent) void load(listing.parent, { hidden, select: listing.path }); };
  const open = (entry: FolderEntry | undefined) => {
    if (entry?.kind === 'folder') void load(entry.path, { hidden });
    else if (entry?.kind === 'file') onChoose(entry.path);
  };

  const onListKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.ctrlKey || e.metaKey) return; // Ctrl+Enter is the dialog's
    if ((e.altKey && e.key === 'ArrowUp') || e.key === 'Backspace' || e.key === 'ArrowLeft') {
      e.preventDefault();
      goUp();
      return;
    }
    if (e.altKey) return;
    const moved = movedRow(e.key, active, entries.length);
    if (moved !== null) {
      e.preventDefault();
      setActive(moved);
    } else if (e.key === 'Enter' || (e.key === 'ArrowRight' && current?.kind === 'folder')) {
      e.preventDefault();
      open(current);
    } else if (e.key.length === 1 && e.key !== ' ') {
      const now = Date.now();
      const text = now - typed.current.at < TYPEAHEAD_MS ? typed.current.text + e.key : e.key;
      typed.current = { text, at: now };
      const found = findByPrefix(entries.map((x) => x.name), active, text);
      if (found !== null) setActive(found);
    }
  };
  const onDialogKey = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      choose();
    }
    // The app's Alt+1..6 would switch screens under the open dialog.
    if (e.altKey && /^[0-9]$/.test(e.key)) e.stopPropagation();
  };

  const title = t(show === 'folders' ? 'browseTitleFolder' : 'browseTitleGguf');
  return createPortal(
    <dialog ref={dialogRef} className="folder-browser" aria-label={title} data-testid="folder-browser" aria-busy={busy}
      onKeyDown={onDialogKey} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <h2>{title}</h2>
      <div className="browse-bar">
        <button type="button" onClick={goUp} disabled={!listing?.parent} aria-label={t('browseUp')} title={`${t('browseUp')} (Alt+↑)`}>↑</button>
        <label htmlFor="browse-path" className="visually-hidden">{t('browsePath')}</label>
        <input id="browse-path" type="text" value={pathText} spellCheck={false} autoComplete="off"
          onChange={(e) => setPathText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || e.ctrlKey || e.metaKey) return;
            e.preventDefault();
            if (pathText.trim()) void load(pathText.trim(), { hidden });
          }} />
        <button type="button" onClick={() => { if (pathText.trim()) void load(pathText.trim(), { hidden }); }}>{t('browseGo')}</button>
      </div>
      <div className="browse-body">
        <nav aria-label={t('browsePlaces')} className="browse-places">
          {[...(listing?.places ?? []).map((p) => ({ key: p.id, path: p.path, label: t(`browsePlace_${p.id}` as StringKey) })),
            ...(listing?.roots ?? []).map((r) => ({ key: r, path: r, label: r }))].map((p) => (
            <button key={p.key} type="button" title={p.path} aria-current={listing?.path === p.path ? 'location' : undefined}
              onClick={() => void load(p.path, { hidden })}>{p.label}</button>
          ))}
        </nav>
        <div className="browse-main">
          {error ? <ErrorNote error={error} /> : null}
          <ul ref={listRef} role="listbox" tabIndex={0} className="browse-list" data-testid="browse-list"
            aria-label={listing ? t('browseListLabel', { path: listing.path }) : t('browseReading')}
            aria-activedescendant={current ? `browse-row-${active}` : undefined} onKeyDown={onListKey}>
            {entries.map((e, i) => (
              <li key={e.path} id={`browse-row-${i}`} role="option" aria-selected={i === active} data-kind={e.kind}
                className={i === active ? 'active' : undefined}
                onClick={() => { setActive(i); listRef.current?.focus(); }} onDoubleClick={() => open(e)}>
                <span className={`browse-icon browse-icon-${e.kind}`} aria-hidden="true" />
                <span className="browse-name">{e.name}</span>
                {e.link ? <span className="browse-link">↪ {t('browseLink')}</span> : null}
                {e.bytes !== undefined ? <span className="browse-size num">{formatBytes(e.bytes)}</span> : null}
              </li>
            ))}
          </ul>
          {listing && entries.length === 0 ? <p className="hint">{t(show === 'folders' ? 'browseEmptyFolders' : 'browseEmptyGguf')}</p> : null}
          {listing?.note ? <NoteLine note={listing.note} /> : null}
        </div>
      </div>
      <p className="hint browse-keys">{t('browseKeys')}</p>
      <div className="browse-actions">
        <label className="browse-hidden">
          <input type="checkbox" checked={hidden} onChange={(e) => { setHidden(e.target.checked); void load(listing?.path, { hidden: e.target.checked }); }} />
          {t('browseShowHidden')}
        </label>
        <span className="browse-chosen" data-testid="browse-chosen">{chosen ?? ''}</span>
        <button type="button" onClick={choose} disabled={!chosen} className="primary">
          {t(show === 'folders' ? 'browseChooseFolder' : 'browseChooseFile')}
        </button>
        <button type="button" onClick={onClose}>{t('cancel')}</button>
      </div>
    </dialog>,
    document.body,
  );
}

function NoteLine({ note }: { note: AppError }) {
  const { tx } = useApp();
  const shown = tx(note);
  return <p className="hint" data-testid={`note-${note.code}`}>{shown.message}{shown.action ? ` ${shown.action}` : ''}</p>;
}
