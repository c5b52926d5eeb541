// The engine host's wire protocol, over any MessagePort-like channel (Electron's utility process, a worker thread,
// an in-thread MessageChannel). Modelled on VS Code's base/parts/ipc: the service is typed once (the contract in
// core/contract/api.ts), every call has an id, cancellation is a message, and one channel carries several
// connections (one per window, browser tab or CLI command) so each gets the events it asked for and closing it
// cancels what it started.
import { z } from 'zod';
import type { AppError, EventName } from '../contract/api.js';
import { EVENT_NAMES } from '../contract/api.js';
import type { IpcReply } from '../contract/bridge.js';

/** From a client (Electron main, the HTTP server, a test) to the process that owns the engine. */
export type ToHost =
  | { type: 'call'; conn: number; id: number; method: string; req: unknown }
  | { type: 'cancel'; conn: number; id: number }
  /** Replaces the set of events this connection receives. */
  | { type: 'listen'; conn: number; events: EventName[] }
  /** The window, tab or command is gone: everything it started is cancelled. */
  | { type: 'disconnect'; conn: number }
  /** Cancel everything, close the engine, then answer 'stopped'. */
  | { type: 'shutdown' };

/** From the engine's process to its client. */
export type FromHost =
  | { type: 'ready' }
  | { type: 'fatal'; error: AppError }
  | { type: 'reply'; conn: number; id: number; reply: IpcReply }
  | { type: 'event'; conn: number; event: EventName; payload: unknown }
  | { type: 'stopped' };

const counter = z.number().int().nonnegative();

/** The host checks every message it receives: a bad message is answered (when it names a call) and dropped. */
export const TO_HOST_SCHEMA: z.ZodType<ToHost> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), conn: counter, id: counter, method: z.string().max(200), req: z.unknown() }).strict(),
  z.object({ type: z.literal('cancel'), conn: counter, id: counter }).strict(),
  z.object({ type: z.literal('listen'), conn: counter, events: z.array(z.enum(EVENT_NAMES)).max(EVENT_NAMES.length) }).strict(),
  z.object({ type: z.literal('disconnect'), conn: counter }).strict(),
  z.object({ type: z.literal('shutdown') }).strict(),
]) as z.ZodType<ToHost>;

const appError = z.object({ code: z.string(), message: z.string() }).passthrough();
const reply = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: appError }),
]);

/** The client checks what comes back as well: the other side may be a crashed or foreign process. */
export const FROM_HOST_SCHEMA: z.ZodType<FromHost> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('fatal'), error: appError }),
  z.object({ type: z.literal('reply'), conn: counter, id: counter, reply }),
  z.object({ type: z.literal('event'), conn: counter, event: z.enum(EVENT_NAMES), payload: z.unknown() }),
  z.object({ type: z.literal('stopped') }),
]) as z.ZodType<FromHost>;
