import type { AppError } from '../../../core/contract/api.js';
import { AppErrorException } from '../../../core/contract/app-error.js';

/** An engine error as the renderer sees it: the AppError is kept whole so screens can show message and action. */
export class ApiError extends AppErrorException {}

export function appErrorOf(err: unknown): AppError {
  if (err instanceof ApiError) return err.appError;
  if (err instanceof Error) return { code: 'client', message: err.message };
  return { code: 'client', message: String(err) };
}
