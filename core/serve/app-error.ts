// Turns whatever a host caught into the AppError the UI shows, and picks the HTTP status serve mode sends with it.
import type { AppError } from '../contract/api.js';

export function toAppError(err: unknown): AppError {
  if (err && typeof err === 'object') {
    const e = err as { appError?: unknown; code?: unknown; message?: unknown; action?: unknown };
    if (isAppError(e.appError)) return e.appError;
    if (typeof e.code === 'string' && typeof e.message === 'string') {
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

/** Request problems are the caller's (4xx); anything else the engine could not do is a 500. */
export function httpStatusFor(error: AppError): number {
  if (error.code === 'unauthorized') return 401;
  if (error.code === 'unknown-method' || error.code.endsWith('not-found')) return 404;
  if (error.code.startsWith('invalid') || error.code.startsWith('not-a-') || error.code === 'bad-json') return 400;
  if (error.code === 'payload-too-large') return 413;
  return 500;
}
