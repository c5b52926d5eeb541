// The HTTP status serve mode sends with an AppError: the caller's mistakes are 4xx, never 500.
import type { AppError } from '../contract/api.js';

const BY_CODE: Record<string, number> = {
  unauthorized: 401,
  'forbidden-origin': 403,
  'browse-permission-denied': 403,
  'unknown-method': 404,
  'invalid-http-method': 405,
  cancelled: 409,
  'payload-too-large': 413,
  'request-timeout': 408,
  'headers-too-large': 431,
  'engine-failed': 503,
  'engine-stopped': 503,
  'engine-restarted': 503,
  internal: 500,
};

/**
 * Named codes first; then request problems (invalid-*, not-a-*, bad-*) are 400 and missing things 404. Any other
 * AppError the engine raised on purpose describes what the user must change (a folder, a model id, a setting), so
 * it is 422; only failures of the engine itself (internal, *-failed, a stopped engine) or of a server it relies on
 * (a download *-interrupted) are 5xx.
 */
export function httpStatusFor(error: AppError): number {
  const code = error.code;
  if (BY_CODE[code] !== undefined) return BY_CODE[code];
  if (code.startsWith('invalid') || code.startsWith('not-a-') || code.startsWith('bad-')) return 400;
  if (code.endsWith('not-found') || code.startsWith('unknown-')) return 404;
  if (code.endsWith('-cancelled')) return 409;
  if (code.endsWith('-interrupted')) return 502;
  if (code.endsWith('-failed')) return 500;
  return 422;
}
