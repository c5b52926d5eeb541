// What can stop the store from being opened or written, in the user's words: a store that is not there (a read
// never creates one), one that needs an upgrade a read may not make, one from a newer localrag, and a full disk.
import { statfsSync } from 'node:fs';
import type { AppError } from '../contract/api.js';
import { AppErrorException } from '../contract/app-error.js';

export class StoreError extends AppErrorException {}

export function storeMissing(storeDir: string): StoreError {
  return new StoreError({
    code: 'store-missing',
    message: `There is no localrag store in ${storeDir}: nothing has been indexed there yet.`,
    action: 'Index a folder into it first, or choose another store.',
    params: { store: storeDir },
  });
}

export function storeNeedsUpgrade(storeDir: string, found: number, current: number): StoreError {
  return new StoreError({
    code: 'store-needs-upgrade',
    message: `The store in ${storeDir} was written by an older localrag and must be upgraded once; reading it never changes it.`,
    action: 'Upgrade it with `localrag doctor` (or open it in the app or index into it), then try again.',
    params: { store: storeDir, found, current },
  });
}

export function storeTooNew(storeDir: string, found: number, current: number): StoreError {
  return new StoreError({
    code: 'store-too-new',
    message: `The store in ${storeDir} was written by a newer localrag (store format ${found}; this one reads up to ${current}).`,
    action: 'Update localrag, or choose another store.',
    params: { store: storeDir, found, current },
  });
}

/** A write asked of an engine that opened its store read-only (a read command): refused before anything changes. */
export function storeReadOnly(what: string): StoreError {
  return new StoreError({
    code: 'store-read-only',
    message: `This store was opened only for reading, so ${what} is not possible here.`,
    action: 'Run a command that writes to the store (such as `localrag index`) instead.',
    params: { what },
  });
}

/** Below this much free space, a write that failed without an errno (a native writer's) is taken as a full disk. */
const NEARLY_FULL_BYTES = 1 << 20;

/**
 * Whether an error means the disk holding `dir` is full: SQLite's SQLITE_FULL, the OS's ENOSPC or EDQUOT, our own
 * disk-full error, or an I/O error without a precise cause (SQLite's SQLITE_IOERR_*, usearch's "Failed to
 * serialize") while `dir` has next to no space left. Call it before removing a partial file, which frees the space
 * that tells.
 */
export function isDiskFull(err: unknown, dir?: string): boolean {
  const e = err as { code?: unknown; appError?: AppError } | null;
  if (e?.appError) return e.appError.code === 'disk-full'; // our own errors say what they are
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
  // SQLite says only "disk I/O error" when its -shm or WAL file cannot grow; a native writer says nothing precise.
  if ((code !== '' && !code.startsWith('SQLITE_IOERR')) || dir === undefined) return false;
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/** An error's own words, as a detail inside another message: where it came from, then its first line. */
function detailOf(err: unknown): string {
  const e = err as { appError?: AppError; code?: unknown; message?: string } | null;
  const p = e?.appError?.code === 'disk-full' ? e.appError.params : undefined;
  if (p) return `${p.doing}: ${p.detail}`;
  const text = String(e?.message ?? err).split('\n')[0]!;
  return typeof e?.code === 'string' && e.code.startsWith('SQLITE_') ? `SQLite: ${text}` : text;
}

/**
 * The disk holding `dir` is full. `causes` are the failures that said so, in the order they happened (SQLite's
 * first, when it failed first): each one's own words stay in the message, so none is hidden behind another.
 */
export function diskFull(dir: string, doing: string, causes: unknown[]): StoreError {
  const detail = [...new Set(causes.map(detailOf))].join('; ');
  return new StoreError({
    code: 'disk-full',
    message: `The disk holding ${dir} is full: ${doing} stopped (${detail}).`,
    action: 'Free some space on that disk and try again: everything saved before is kept, and indexing resumes where it stopped.',
    params: { dir, doing, detail },
  });
}
