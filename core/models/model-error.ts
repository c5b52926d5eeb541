// Errors the model manager shows the user: a stable code, one sentence, and what to do next.
import type { AppError } from '../contract/api.js';

export class ModelError extends Error {
  readonly code: string;
  readonly action: string | undefined;

  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'ModelError';
    this.code = appError.code;
    this.action = appError.action;
  }
}

/** The AppError inside whatever was thrown (progress events carry it). */
export function appErrorOf(err: unknown): AppError {
  if (err instanceof ModelError) return err.appError;
  return { code: 'internal', message: String((err as Error)?.message ?? err), action: 'See the log for details; if it persists, report it.' };
}
