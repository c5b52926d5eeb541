// The client's side of the engine host: connections (one per window, browser tab or command) over one channel,
// calls that resolve to a reply envelope (never throw), cancellation by AbortSignal (sent as a message), and
// events delivered to the listeners of the connection that asked for them.
import type { ApiTransport, AppError, EventName } from '../contract/api.js';
import { AppErrorException } from '../contract/app-error.js';
import type { IpcReply } from '../contract/bridge.js';
import type { MessagePortLike } from './port.js';
import { FROM_HOST_SCHEMA, type ToHost } from './protocol.js';

export interface HostConnection {
  /** Runs one API method; an aborted signal cancels it in the engine. */
  call(method: string, req: unknown, signal?: AbortSignal): Promise<IpcReply>;
  /** Receives one event of this connection; returns the unsubscribe function. */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
  /** The window, tab or command is gone: the engine cancels what this connection started. */
  close(): void;
}

export interface HostClient {
  /** Settles when the engine is up: null, or the error it could not start with. */
  ready: Promise<AppError | null>;
  connect(): HostConnection;
  /** Cancels everything, closes the engine and waits for it (at most timeoutMs, then the channel is closed). */
  shutdown(timeoutMs?: number): Promise<void>;
  /** The engine stopped (error null after a shutdown asked for). */
  onStop(listener: (error: AppError | null) => void): void;
}

const ENGINE_STOPPED: AppError = {
  code: 'engine-stopped',
  message: 'The engine process stopped.',
  action: 'Restart the app; if it happens again, run `localrag status` in a terminal to see why.',
};

export function createHostClient(port: MessagePortLike, log: (line: string) => void = () => {}): HostClient {
  const pending = new Map<string, (reply: IpcReply) => void>();
  const connections = new Map<number, Map<EventName, Set<(payload: unknown) => void>>>();
  const stopListeners: ((error: AppError | null) => void)[] = [];
  let nextConn = 1;
  let nextId = 1;
  let stopped: AppError | null = null;
  let shuttingDown = false;
  let markReady: (error: AppError | null) => void = () => {};
  const ready = new Promise<AppError | null>((resolve) => (markReady = resolve));
  let markStopped: () => void = () => {};
  const stoppedPromise = new Promise<void>((resolve) => (markStopped = resolve));
  let markClosed: () => void = () => {};
  const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));

  /** The reason a message could not be sent (it cannot be copied to the engine), or null when it was sent. */
  const send = (m: ToHost): string | null => {
    try {
      port.postMessage(m);
      return null;
    } catch (err) {
      log(`engine host: could not send (${(err as Error).message})`);
      return (err as Error).message;
    }
  };

  const stop = (error: AppError) => {
    if (stopped) return;
    stopped = error;
    markReady(error);
    for (const resolve of pending.values()) resolve({ ok: false, error });
    pending.clear();
    markStopped();
    for (const l of stopListeners) l(shuttingDown ? null : error);
  };

  port.onMessage((raw) => {
    const parsed = FROM_HOST_SCHEMA.safeParse(raw);
    if (!parsed.success) return log('engine host: ignored a malformed message from the engine');
    const msg = parsed.data;
    if (msg.type === 'ready') markReady(null);
    else if (msg.type === 'fatal') stop(msg.error);
    else if (msg.type === 'stopped') stop(ENGINE_STOPPED);
    else if (msg.type === 'reply') {
      const key = `${msg.conn}:${msg.id}`;
      pending.get(key)?.(msg.reply);
      pending.delete(key);
    } else {
      for (const l of connections.get(msg.conn)?.get(msg.event) ?? []) l(msg.payload);
    }
  });
  port.onClose(() => {
    markClosed();
    stop(ENGINE_STOPPED);
  });

  return {
    ready,
    connect() {
      const conn = nextConn++;
      const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
      connections.set(conn, listeners);
      const announce = () => send({ type: 'listen', conn, events: [...listeners].filter(([, s]) => s.size > 0).map(([e]) => e) });
      return {
        async call(method, req, signal) {
          const failed = await ready;
          if (failed || stopped) return { ok: false, error: failed ?? stopped ?? ENGINE_STOPPED };
          if (!connections.has(conn)) return { ok: false, error: { code: 'cancelled', message: 'The window or connection that made this call has closed.' } };
          const id = nextId++;
          const key = `${conn}:${id}`;
          return new Promise<IpcReply>((resolve) => {
            const onAbort = () => send({ type: 'cancel', conn, id });
            pending.set(key, (reply) => {
              signal?.removeEventListener('abort', onAbort);
              resolve(reply);
            });
            // A request that cannot be copied (nested thousands deep) never reaches the engine: answer it here.
            const unsent = send({ type: 'call', conn, id, method, req });
            if (unsent !== null) {
              pending.delete(key);
              return resolve({ ok: false, error: { code: 'invalid-payload', message: `The request could not be passed to the engine (${unsent}).`, action: 'Send a simpler request.', params: { reason: unsent } } });
            }
            if (signal?.aborted) onAbort();
            else signal?.addEventListener('abort', onAbort, { once: true });
          });
        },
        on(event, listener) {
          const set = listeners.get(event) ?? new Set();
          listeners.set(event, set);
          const first = set.size === 0;
          set.add(listener);
          if (first) announce();
          return () => {
            if (set.delete(listener) && set.size === 0 && connections.has(conn)) announce();
          };
        },
        close() {
          if (!connections.delete(conn)) return;
          for (const [key, resolve] of pending) {
            if (key.startsWith(`${conn}:`)) {
              resolve({ ok: false, error: { code: 'cancelled', message: 'The window or connection that made this call has closed.' } });
              pending.delete(key);
            }
          }
          if (!stopped) send({ type: 'disconnect', conn });
        },
      };
    },
    async shutdown(timeoutMs = 10_000) {
      if (stopped) return;
      shuttingDown = true;
      send({ type: 'shutdown' });
      await within(stoppedPromise, timeoutMs);
      if (!stopped) stop(ENGINE_STOPPED);
      // A process that has closed its engine exits by itself: killed only when it does not.
      await within(closedPromise, 2_000);
      port.close();
    },
    onStop(listener) {
      stopListeners.push(listener);
    },
  };
}

/** Waits for `promise`, at most `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

/** The contract's typed transport over one connection (what the renderer's transports also implement). */
export function transportOf(connection: HostConnection): ApiTransport & { close(): void } {
  return {
    async call(method, req) {
      const reply = await connection.call(method, req);
      if (!reply.ok) throw new AppErrorException(reply.error);
      return reply.result as never;
    },
    on(event, listener) {
      return connection.on(event, listener as (payload: unknown) => void);
    },
    close: () => connection.close(),
  };
}
