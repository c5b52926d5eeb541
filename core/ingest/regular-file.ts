// Opening a FIFO for reading blocks until a writer appears (for ever, if none does), and a device can stream without
// end. Every file the indexer reads is therefore opened non-blocking and checked to be a regular file on the open
// handle itself, so a file swapped for a pipe between a stat and the open cannot hang us either.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** O_NONBLOCK does not exist on Windows, where opening a named pipe does not wait for a writer anyway. */
const READ_NONBLOCKING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export interface OpenedFile {
  handle: FileHandle;
  /** fstat of the open handle: what will really be read. */
  stats: Stats;
}

/** Opens `path` for reading, or returns null (handle closed) when it is not a regular file. Errors are fs errors. */
export async function openRegularFile(path: string): Promise<OpenedFile | null> {
  const handle = await open(path, READ_NONBLOCKING);
  try {
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, stats };
  } catch (err) {
    await handle.close();
    throw err;
  }
  await handle.close();
  return null;
}

/**
 * The text of a small regular file (a .gitignore), or null when it is missing, unreadable, not a regular file or
 * larger than `maxBytes` (rules files are small; a huge one is not worth a stall).
 */
export function readSmallRegularFileSync(path: string, maxBytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, READ_NONBLOCKING);
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return null;
    const buf = Buffer.alloc(st.size);
    let filled = 0;
    while (filled < buf.length) {
      const n = readSync(fd, buf, filled, buf.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return buf.toString('utf8', 0, filled);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
