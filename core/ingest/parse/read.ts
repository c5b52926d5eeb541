// Reads a whole file once, refusing early (by size, type) and detecting files that change underneath us.
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { fsProblem, problems } from '../file-problems.js';
import { openRegularFile } from '../regular-file.js';
import { fail, type ParseFailure } from './types.js';

export const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface ReadOk {
  ok: true;
  bytes: Buffer;
  size: number;
  mtimeMs: number;
}

function fsFail(err: unknown): ParseFailure {
  return fail(fsProblem(err, 'file'));
}


function sameVersion(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.dev === b.dev;
}

export async function readFileStable(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ReadOk | ParseFailure> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (err) {
    return fsFail(err);
  }
  if (before.isDirectory()) return fail(problems.isAFolder());
  // Pipes and devices would block or never end: never open them.
  if (!before.isFile()) return fail(problems.notRegularFile());
  if (before.size === 0) return fail(problems.empty());
  if (before.size > maxBytes) return fail(problems.tooLarge(before.size, maxBytes));

  let bytes: Buffer;
  try {
    const file = await openRegularFile(path);
    if (!file) return fail(problems.notRegularFile());
    const { handle, stats: opened } = file;
    try {
      if (!sameVersion(before, opened)) return fail(problems.changedDuringRead());
      // One spare byte tells us whether the file grew after we measured it.
      const buf = Buffer.allocUnsafe(before.size + 1);
      let filled = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, filled, buf.length - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
        if (filled === buf.length) break;
      }
      if (filled !== before.size) return fail(problems.changedDuringRead());
      bytes = buf.subarray(0, filled);
    } finally {
      await handle.close();
    }
  } catch (err) {
    return fsFail(err);
  }

  let after: Stats;
  try {
    after = await stat(path);
  } catch (err) {
    return fail(problems.changedDuringRead());
  }
  if (!sameVersion(before, after)) return fail(problems.changedDuringRead());
  return { ok: true, bytes, size: before.size, mtimeMs: before.mtimeMs };
}

/** The first `n` bytes (fewer for a short file), or null when they cannot be read (the full read will say why). */
export async function readHead(path: string, n: number): Promise<Buffer | null> {
  try {
    const file = await openRegularFile(path);
    if (!file) return null;
    const { handle } = file;
    try {
      const buf = Buffer.alloc(n);
      const { bytesRead } = await handle.read(buf, 0, n, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}
