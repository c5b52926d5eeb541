// The shell: navigation between screens, and honest states while loading or when the engine cannot be reached.
import { Component, useEffect, type ErrorInfo, type ReactNode } from 'react';
import { ErrorNote } from './components/ErrorNote.js';
import type { StringKey } from './i18n/strings.js';
import { useApp, type Screen } from './state/app-context.js';
import { ChatScreen } from './screens/ChatScreen.js';
import { EvaluateScreen } from './screens/EvaluateScreen.js';
import { InspectorScreen } from './screens/InspectorScreen.js';
import { LatencyScreen } from './screens/LatencyScreen.js';
import { LibraryScreen } from './screens/LibraryScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';

const SCREENS: { id: Screen; label: StringKey; render: () => ReactNode }[] = [
  { id: 'chat', label: 'navChat', render: () => <ChatScreen /> },
  { id: 'latency', label: 'navLatency', render: () => <LatencyScreen /> },
  { id: 'inspector', label: 'navInspector', render: () => <InspectorScreen /> },
  { id: 'settings', label: 'navSettings', render: () => <SettingsScreen /> },
  { id: 'library', label: 'navLibrary', render: () => <LibraryScreen /> },
  { id: 'evaluate', label: 'navEvaluate', render: () => <EvaluateScreen /> },
];

export function App() {
  const { t, screen, navigate, loadError, reload, settings } = useApp();

  // Alt+1..6 switch screens from anywhere.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const i = Number(e.key) - 1;
      if (e.altKey && i >= 0 && i < SCREENS.length) {
        e.preventDefault();
        navigate(SCREENS[i].id);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navigate]);

  const current = SCREENS.find((s) => s.id === screen) ?? SCREENS[0];
  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('appTitle')}</h1>
        <nav aria-label="main">
          {SCREENS.map((s, i) => (
            <button key={s.id} type="button" aria-current={s.id === screen ? 'page' : undefined}
              onClick={() => navigate(s.id)} title={`Alt+${i + 1}`}>{t(s.label)}</button>
          ))}
        </nav>
      </header>
      <main data-testid={`screen-${current.id}`}>
        {loadError ? (
          <section aria-label={t('engineUnreachable')}>
            <h2>{t('engineUnreachable')}</h2>
            <ErrorNote error={loadError} />
            <button type="button" onClick={reload}>{t('retry')}</button>
          </section>
        ) : !settings ? <p role="status">{t('loading')}</p> : (
          <ScreenBoundary key={current.id}>{current.render()}</ScreenBoundary>
        )}
      </main>
    </div>
  );
}

/** A screen that throws shows its error instead of blanking the whole window. */
class ScreenBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    if (this.state.error) return <ErrorNote error={{ code: 'ui-crash', message: this.state.error.message, action: 'Switch screens or reload the window.' }} />;
    return this.props.children;
  }
}
