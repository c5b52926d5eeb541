// Keeps the engine running for the app's lifetime: when its process (Electron) or thread (serve mode) dies after it
// had started, a fresh one is started and every open connection moves to it with its event listeners, so a crash
// costs the calls that were in flight (they end with `engine-restarted`), never the window or the browser tab.
// A crash loop (more than `maxRestarts` crashes within `windowMs`) or an engine that never started is not retried:
// the stop is reported as before, with the engine's own error.
import type { AppError, EventName } from '../contract/api.js';
import type { HostClient, HostConnection } from './client.js';

export interface SupervisorOptions {
  /** Crashes tolerated within `windowMs` before giving up (default 3 within a minute). */
  maxRestarts?: number;
  windowMs?: number;
  log?: (line: string) => void;
  /** Told after each restart, with what the dead engine reported. */
  onRestart?: (error: AppError) => void;
}

export const ENGINE_RESTARTED: AppError = {
  code: 'engine-restarted',
  message: 'The engine stopped while working on this and has been restarted.',
  action: 'Try again; if it keeps happening, run `localrag doctor` in a terminal.',
};

type Listener = (payload: unknown) => void;

export function superviseHost(start: () => HostClient, opts: SupervisorOptions = {}): HostClient & { restarts(): number } {
  const maxRestarts = opts.maxRestarts ?? 3;
  const windowMs = opts.windowMs ?? 60_000;
  const log = opts.log ?? (() => {});
  const stopListeners: ((error: AppError | null) => void)[] = [];
  const rebinders = new Set<(client: HostClient) => void>();
  const crashes: number[] = [];
  let restarts = 0;
  /** Bumped on every restart: a call that saw an older one and got engine-stopped was cut short by the crash. */
  let generation = 0;
  let shuttingDown = false;
  let current: HostClient;

  const adopt = (client: HostClient) => {
    current = client;
    let started = false;
    void client.ready.then((failed) => { started = failed === null; });
    client.onStop((error) => {
      if (client !== current) return;
      const now = Date.now();
      while (crashes.length > 0 && now - crashes[0]! > windowMs) crashes.shift();
      if (error && started && !shuttingDown && crashes.length < maxRestarts) {
        crashes.push(now);
        restarts++;
        generation++;
        log(`LocalRAG engine stopped (${error.message}); starting it again`);
        adopt(start());
        for (const rebind of rebinders) rebind(current);
        opts.onRestart?.(error);
        return;
      }
      for (const l of stopListeners) l(error);
    });
  };
  adopt(start());
  const first = current!;

  return {
    ready: first.ready,
    restarts: () => restarts,
    connect(): HostConnection {
      const listeners = new Map<EventName, Set<Listener>>();
      const unsubs = new Map<EventName, () => void>();
      let inner = current.connect();
      const listenInner = (event: EventName) => {
        unsubs.set(event, inner.on(event, (payload) => { for (const l of listeners.get(event) ?? []) l(payload); }));
      };
      const rebind = (client: HostClient) => {
        inner = client.connect();
        unsubs.clear();
        for (const [event, set] of listeners) if (set.size > 0) listenInner(event);
      };
      rebinders.add(rebind);
      return {
        async call(method, req, signal) {
          const seen = generation;
          const reply = await inner.call(method, req, signal);
          if (!reply.ok && reply.error.code === 'engine-stopped' && generation !== seen) return { ok: false, error: ENGINE_RESTARTED };
          return reply;
        },
        on(event, listener) {
          const set = listeners.get(event) ?? new Set();
          listeners.set(event, set);
          set.add(listener);
          if (set.size === 1) listenInner(event);
          return () => {
            if (set.delete(listener) && set.size === 0) {
              unsubs.get(event)?.();
              unsubs.delete(event);
            }
          };
        },
        close() {
          rebinders.delete(rebind);
          inner.close();
        },
      };
    },
    async shutdown(timeoutMs) {
      shuttingDown = true;
      await current.shutdown(timeoutMs);
    },
    onStop(listener) {
      stopListeners.push(listener);
    },
  };
}
