// What every screen needs: the transport, translated strings, settings, engine status and the ask session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppError, EngineStatus, Settings } from '../../../core/contract/api.js';
import { appErrorOf } from '../api/api-error.js';
import type { HostTransport } from '../api/transport.js';
import { translate, type Language, type StringKey } from '../i18n/strings.js';
import { useAskSession, type AskSession } from './ask-session.js';

export type Screen = 'chat' | 'latency' | 'inspector' | 'settings' | 'library' | 'evaluate';

export interface AppState {
  host: HostTransport;
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  settings: Settings | null;
  setSettings(s: Settings): void;
  status: EngineStatus | null;
  refreshStatus(): Promise<void>;
  loadError: AppError | null;
  reload(): void;
  session: AskSession;
  screen: Screen;
  navigate(screen: Screen): void;
}

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside AppProvider');
  return state;
}

export function AppProvider({ host, children }: { host: HostTransport; children: ReactNode }) {
  const api = host.api;
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [screen, setScreen] = useState<Screen>('chat');
  const session = useAskSession(api);

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
      })
      .catch((err) => live && setLoadError(appErrorOf(err)));
    return () => {
      live = false;
    };
  }, [api, attempt]);

  // Indexing changes counts and folder states: refresh the status when a run ends.
  useEffect(() => api.on('onIndexProgress', (p) => {
    if (p.phase === 'done' || p.phase === 'error' || p.phase === 'cancelled') void refreshStatus();
  }), [api, refreshStatus]);

  const lang: Language = settings?.language ?? 'en';
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<AppState>(() => ({
    host,
    t: (key, vars) => translate(lang, key, vars),
    settings,
    setSettings,
    status,
    refreshStatus,
    loadError,
    reload: () => setAttempt((a) => a + 1),
    session,
    screen,
    navigate: setScreen,
  }), [host, lang, settings, status, refreshStatus, loadError, session, screen]);

  return <AppContext.Provider value={value}>{children}</AppContext.Provider>;
}
