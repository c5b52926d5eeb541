// What every screen needs: the transport, translated strings and engine messages, settings (with the unsaved draft,
// kept while switching screens), engine status, indexing and download progress, and the chat session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppError, DownloadProgress, EngineStatus, IndexProgress, Settings } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import type { HostTransport } from '../api/transport.js';
import { localiseError, type ShownMessage } from '../i18n/messages.js';
import { translate, type Language, type StringKey } from '../i18n/strings.js';
import { useChatSession, type ChatSession } from './chat-session.js';

export type Screen = 'chat' | 'latency' | 'inspector' | 'settings' | 'library' | 'evaluate';

export interface AppState {
  host: HostTransport;
  lang: Language;
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  /** An engine message (error, skip reason) in the interface's language. */
  tx: (error: AppError) => ShownMessage;
  settings: Settings | null;
  setSettings(s: Settings): void;
  /** Settings edited but not saved yet; null when there are none. Survives switching screens. */
  draft: Partial<Settings> | null;
  setDraft(d: Partial<Settings> | null): void;
  status: EngineStatus | null;
  refreshStatus(): Promise<void>;
  /** The indexing run in progress, or the last one of this window; never a stale one from before it opened. */
  indexProgress: IndexProgress | null;
  downloads: Record<string, DownloadProgress>;
  loadError: AppError | null;
  reload(): void;
  session: ChatSession;
  screen: Screen;
  navigate(screen: Screen): void;
}

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}

const ACTIVE_PHASES: IndexProgress['phase'][] = ['scanning', 'indexing', 'embedding'];

export function AppProvider({ host, children }: { host: HostTransport; children: ReactNode }) {
  const api = host.api;
  const [settings, setSettings] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Partial<Settings> | null>(null);
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [indexProgress, setIndexProgress] = useState<IndexProgress | null>(null);
  const [downloads, setDownloads] = useState<Record<string, DownloadProgress>>({});
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [screen, setScreen] = useState<Screen>('chat');
  const session = useChatSession(api);

  const refreshStatus = useCallback(async () => {
    try {
      setStatus(await api.call('getStatus', {}));
    } catch (err) {
      setLoadError(appErrorOf(err));
    }
  }, [api]);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    Promise.all([api.call('getSettings', {}), api.call('getStatus', {})])
      .then(([s, st]) => {
        if (!live) return;
        setSettings(s);
        setStatus(st);
        // A run still going when the window opens is shown; a finished one from earlier is not ("done 19 of 19").
        setIndexProgress((p) => p ?? (st.indexing && ACTIVE_PHASES.includes(st.indexing.phase) ? st.indexing : null));
      })
      .catch((err) => live && setLoadError(appErrorOf(err)));
    return () => {
      live = false;
    };
  }, [api, attempt]);

  // Progress lives here, not in the Library screen, so switching screens never resets it.
  useEffect(() => api.on('onIndexProgress', (p) => {
    setIndexProgress(p);
    if (!ACTIVE_PHASES.includes(p.phase)) void refreshStatus();
  }), [api, refreshStatus]);
  useEffect(() => api.on('onDownloadProgress', (p) => {
    setDownloads((d) => ({ ...d, [p.modelId]: p }));
    if (p.done) void refreshStatus();
  }), [api, refreshStatus]);

  const lang: Language = settings?.language ?? 'en';
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<AppState>(() => ({
    host,
    lang,
    t: (key, vars) => translate(lang, key, vars),
    tx: (error) => localiseError(lang, error),
    settings,
    setSettings,
    draft,
    setDraft,
    status,
    refreshStatus,
    indexProgress,
    downloads,
    loadError,
    reload: () => setAttempt((a) => a + 1),
    session,
    screen,
    navigate: setScreen,
  }), [host, lang, settings, draft, status, refreshStatus, indexProgress, downloads, loadError, session, screen]);

  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}
