// The one dispatch function, in the process that owns the engine. Every client (Electron main, the HTTP server, a
// test) reaches the engine through here, so this is where every payload is validated, every error becomes an
// AppError, every call gets an AbortSignal (cancelled by a 'cancel' message or by its connection going away), and
// every event goes only to the connections that asked for it: an answer's tokens to the one that asked the question.
import type { ApiMethod, ApiRequest, ApiResponse, EngineApi, EventName, LocalRagEvents } from '../contract/api.js';
import type { IpcReply } from '../contract/bridge.js';
import { validateRequest } from '../contract/validate.js';
import { toAppError } from './app-error.js';
import { TO_HOST_SCHEMA, type FromHost } from './protocol.js';

/** The engine as the host drives it: each method of the contract, plus the signal that cancels it. */
export type EngineService = {
  [M in ApiMethod]: (req: ApiRequest<M>, signal?: AbortSignal) => Promise<ApiResponse<M>>;
} & Pick<EngineApi, 'subscribe' | 'close'>;

interface Connection {
  listens: Set<EventName>;
  calls: Map<number, AbortController>;
}

export interface Dispatch {
  /** Handles one message from a client; never throws. */
  receive(message: unknown): void;
  /** Cancels every call of every connection (before the engine closes). */
  cancelAll(): void;
  /** Stops routing events. */
  dispose(): void;
}

/** The event's request id, when it belongs to one request (answer tokens, stage timings, the finished answer). */
function requestIdOf(payload: unknown): string | null {
  const id = payload && typeof payload === 'object' ? (payload as { requestId?: unknown }).requestId : undefined;
  return typeof id === 'string' ? id : null;
}

export function createDispatch(engine: EngineService, send: (message: FromHost) => void, log: (line: string) => void = () => {}): Dispatch {
  const connections = new Map<number, Connection>();
  /** requestId -> the connection whose call carries it, while that call runs. */
  const owners = new Map<string, number>();

  const connection = (conn: number): Connection => {
    let c = connections.get(conn);
    if (!c) {
      c = { listens: new Set(), calls: new Map() };
      connections.set(conn, c);
    }
    return c;
  };

  const unsubscribe = engine.subscribe(<E extends EventName>(event: E, payload: LocalRagEvents[E]) => {
    const owner = owners.get(requestIdOf(payload) ?? '');
    for (const [conn, c] of connections) {
      if (c.listens.has(event) && (owner === undefined || owner === conn)) send({ type: 'event', conn, event, payload });
    }
  });

  async function call(conn: number, id: number, method: string, req: unknown): Promise<void> {
    const c = connection(conn);
    const controller = new AbortController();
    c.calls.set(id, controller);
    const requestId = requestIdOf(req);
    if (requestId !== null) owners.set(requestId, conn);
    let reply: IpcReply;
    try {
      const valid = validateRequest(method, req);
      const fn = engine[method as ApiMethod] as (r: unknown, signal: AbortSignal) => Promise<unknown>;
      reply = { ok: true, result: (await fn.call(engine, valid, controller.signal)) ?? null };
    } catch (err) {
      reply = { ok: false, error: toAppError(err) };
    } finally {
      c.calls.delete(id);
      if (requestId !== null && owners.get(requestId) === conn) owners.delete(requestId);
    }
    // A connection that went away gets no reply; its calls were cancelled when it left.
    if (connections.get(conn) === c) send({ type: 'reply', conn, id, reply });
  }

  return {
    receive(message) {
      const parsed = TO_HOST_SCHEMA.safeParse(message);
      if (!parsed.success) {
        const m = message as { conn?: unknown; id?: unknown } | null;
        log(`engine host: dropped a malformed message (${parsed.error.issues[0]?.message ?? 'unknown shape'})`);
        if (m && typeof m.conn === 'number' && typeof m.id === 'number') {
          send({ type: 'reply', conn: m.conn, id: m.id, reply: { ok: false, error: { code: 'invalid-message', message: 'The engine received a malformed message.', action: 'Restart the app; if it persists, report it.' } } });
        }
        return;
      }
      const msg = parsed.data;
      switch (msg.type) {
        case 'call':
          void call(msg.conn, msg.id, msg.method, msg.req);
          return;
        case 'cancel':
          connections.get(msg.conn)?.calls.get(msg.id)?.abort();
          return;
        case 'listen':
          connection(msg.conn).listens = new Set(msg.events);
          return;
        case 'disconnect': {
          const c = connections.get(msg.conn);
          connections.delete(msg.conn);
          for (const controller of c?.calls.values() ?? []) controller.abort();
          return;
        }
        case 'shutdown':
          return; // the host that owns this dispatch handles it
      }
    },
    cancelAll() {
      for (const c of connections.values()) for (const controller of c.calls.values()) controller.abort();
    },
    dispose() {
      unsubscribe();
      connections.clear();
    },
  };
}
