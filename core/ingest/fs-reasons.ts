// One place that turns Node fs errors into the sentences users see for files and folders.

export interface FsReason {
  code: 'not-found' | 'unreadable' | 'not-a-file' | 'symlink-loop' | 'io-error';
  reason: string;
}

export function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function fsReason(err: unknown, what: 'file' | 'folder' = 'file'): FsReason {
  switch (errnoOf(err)) {
    case 'ENOENT':
      return { code: 'not-found', reason: `${what} disappeared before it could be read (deleted or moved)` };
    case 'EACCES':
    case 'EPERM':
      return { code: 'unreadable', reason: `permission denied: cannot read this ${what} (check its permissions)` };
    case 'EISDIR':
      return { code: 'not-a-file', reason: 'is a folder, not a file (it changed while scanning)' };
    case 'ENOTDIR':
      return { code: 'not-a-file', reason: 'a folder on its path was replaced by a file while scanning' };
    case 'ELOOP':
      return { code: 'symlink-loop', reason: 'symlink loop: the link points back to itself' };
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return { code: 'io-error', reason: `cannot read ${what}: ${message}` };
    }
  }
}

export function formatMB(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(mb >= 1 ? 1 : 2)} MB`;
}

export function tooLargeReason(size: number, limit: number): string {
  let [a, b] = [formatMB(size), formatMB(limit)];
  // Near the limit both round to the same figure; exact bytes then say why.
  if (a === b) [a, b] = [`${size} bytes`, `${limit} bytes`];
  return `too large (${a} > limit ${b}): raise the size limit to index it`;
}
