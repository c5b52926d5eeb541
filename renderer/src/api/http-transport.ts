// Serve-mode transport: POST /api/<method> with the access token, events over one shared EventSource. One client
// id per tab ties its calls to its event stream: the tab's answers stream to it alone, and closing the tab
// cancels what it started.
import type { ApiTransport, EventName, LocalRagEvents } from '../../../core/contract/api.js';
import { EVENT_NAMES } from '../../../core/contract/api.js';
import { ApiError } from './api-error.js';

const TOKEN_KEY = 'localrag.token';

/** The token arrives once in the URL (?token=); it is kept for this tab and removed from the address bar. */
export function takeAccessToken(loc: Location = window.location, storage: Storage = window.sessionStorage): string {
  const params = new URLSearchParams(loc.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? '';
}

/** A random id for this tab (not a secret: the token is). */
export function newClientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function httpTransport(token: string, base = '', clientId = newClientId()): ApiTransport {
  type AnyListener = (payload: unknown) => void;
  const listeners = new Map<EventName, Set<AnyListener>>();
  let source: EventSource | null = null;

  function ensureSource(): void {
    if (source) return;
    source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}&client=${clientId}`);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (e) => {
        const payload: unknown = JSON.parse((e as MessageEvent<string>).data);
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
  }

  return {
    async call(method, req) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-LocalRAG-Token': token, 'X-LocalRAG-Client': clientId },
          body: JSON.stringify(req ?? {}),
        });
      } catch {
        throw new ApiError({
          code: 'server-unreachable',
          message: 'The LocalRAG server cannot be reached.',
          action: 'Check that `localrag serve` is still running, then reload.',
        });
      }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const error = (body as { error?: ApiError['appError'] } | null)?.error;
        throw new ApiError(error ?? { code: `http-${res.status}`, message: `The server answered ${res.status}.` });
      }
      return body as never;
    },
    on<E extends EventName>(event: E, listener: (payload: LocalRagEvents[E]) => void) {
      ensureSource();
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      const l = listener as AnyListener;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
