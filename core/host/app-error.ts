// Turns whatever the engine threw into the AppError a client shows: done once, in the host's dispatch.
import type { AppError } from '../contract/api.js';
import { AppErrorException } from '../contract/app-error.js';

export function toAppError(err: unknown): AppError {
  if (err && typeof err === 'object') {
    const e = err as { appError?: unknown; code?: unknown; message?: unknown; action?: unknown; params?: unknown };
    if (isAppError(e.appError)) return e.appError;
    if (typeof e.code === 'string' && typeof e.message === 'string' && !/^[A-Z_]+$/.test(e.code)) {
      return { code: e.code, message: e.message, ...(typeof e.action === 'string' ? { action: e.action } : {}) };
    }
    if (typeof e.message === 'string') {
      return { code: 'internal', message: e.message, action: 'See the log for details; if it persists, report it.' };
    }
  }
  return { code: 'internal', message: String(err), action: 'See the log for details; if it persists, report it.' };
}

export function isAppError(x: unknown): x is AppError {
  return !!x && typeof x === 'object' && typeof (x as AppError).code === 'string' && typeof (x as AppError).message === 'string';
}

/** What a cancelled operation throws when it has no partial result to return. */
export class CancelledError extends AppErrorException {
  constructor(what: string) {
    super({ code: 'cancelled', message: `${what} was cancelled.`, action: 'Start it again when you want it.', params: { what } });
  }
}

/** Throws CancelledError when the signal has fired; call between the stages of a long operation. */
export function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}
