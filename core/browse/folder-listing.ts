// One folder of this machine, listed for the folder and GGUF pickers (serve mode has no native dialog). Reads only:
// readdir, stat and realpath, never a write. Only folders and (when asked) GGUF files are listed, so FIFOs, sockets
// and devices are never opened; a link is followed one step with stat (a looping link fails that and is left out),
// and the folder shown is its real path, so a link back to an ancestor leads to that ancestor instead of nesting.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { AppError, BrowseRequest, FolderEntry, FolderListing } from '../contract/api.js';
import { AppErrorException } from '../contract/app-error.js';
import { commonPlaces, fileSystemRoots, type PlaceOptions } from './places.js';

/** Enough for any folder a person picks from; a folder with more says so, and the path bar reaches the rest. */
export const MAX_BROWSE_ENTRIES = 2_000;

export class BrowseError extends AppErrorException {}

export interface BrowseOptions extends PlaceOptions {
  maxEntries?: number;
}

const GGUF = /\.gguf$/i;
const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Why a path cannot be listed, in the user's words, from the error the file system gave. */
export function cannotList(path: string, err: unknown): BrowseError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new BrowseError({ code: 'browse-folder-not-found', message: `There is no folder at ${path}.`, action: 'Check the path, or pick a place from the list.', params: { path } });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new BrowseError({ code: 'browse-permission-denied', message: `The folder ${path} cannot be opened: permission denied.`, action: 'Pick another folder, or ask for access to this one.', params: { path } });
  }
  if (code === 'ELOOP') {
    return new BrowseError({ code: 'browse-symlink-loop', message: `${path} is a link that leads back to itself.`, action: 'Pick another folder, or fix the link.', params: { path } });
  }
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return new BrowseError({ code: 'browse-unreadable', message: `The folder ${path} cannot be read (${reason}).`, action: 'Check the disk, or pick another folder.', params: { path, reason } });
}

/** The folder to list (its real path) and, when the request named a file, that file. */
async function folderOf(req: BrowseRequest, home: string): Promise<{ dir: string; selected?: string }> {
  const asked = req.path ?? home;
  if (!isAbsolute(asked) || asked.includes('\0')) {
    throw new BrowseError({
      code: 'invalid-browse-path', message: `"${asked.slice(0, 300)}" is not a full path.`,
      action: 'Type a path that starts at / or at a drive (C:\\), or pick a place from the list.', params: { path: asked.slice(0, 300) },
    });
  }
  const path = resolve(asked);
  const info = await stat(path).catch((err: unknown) => { throw cannotList(path, err); });
  if (info.isDirectory()) return { dir: await realpath(path).catch((err: unknown) => { throw cannotList(path, err); }) };
  // Opening the GGUF picker at the chosen file: its folder, with the file selected (by its own name, link or not).
  if (info.isFile() && req.show === 'gguf') {
    const dir = await realpath(dirname(path)).catch((err: unknown) => { throw cannotList(dirname(path), err); });
    return { dir, selected: join(dir, basename(path)) };
  }
  throw new BrowseError({ code: 'browse-not-a-folder', message: `${path} is not a folder.`, action: 'Pick the folder that holds it.', params: { path } });
}

/** An entry as the picker shows it, or null when it is neither a folder nor a wanted file (a FIFO, a broken link…). */
async function toEntry(dir: string, d: Dirent, req: BrowseRequest): Promise<FolderEntry | null> {
  const path = join(dir, d.name);
  const wantsFile = (name: string) => req.show === 'gguf' && GGUF.test(name);
  if (d.isDirectory()) return { name: d.name, path, kind: 'folder' };
  if (d.isFile()) {
    if (!wantsFile(d.name)) return null;
    const info = await stat(path).catch(() => null);
    return info?.isFile() ? { name: d.name, path, kind: 'file', bytes: info.size } : null;
  }
  if (!d.isSymbolicLink()) return null; // FIFO, socket, device: never opened
  const target = await stat(path).catch(() => null); // ELOOP or a missing target: left out
  if (target?.isDirectory()) return { name: d.name, path, kind: 'folder', link: true };
  if (target?.isFile() && wantsFile(d.name)) return { name: d.name, path, kind: 'file', bytes: target.size, link: true };
  return null;
}

/** Whether a directory entry could be listed at all, before any stat (kept cheap for folders of many files). */
function mayList(d: Dirent, req: BrowseRequest): boolean {
  if (!req.hidden && d.name.startsWith('.')) return false;
  if (d.isDirectory() || d.isSymbolicLink()) return true;
  return d.isFile() && req.show === 'gguf' && GGUF.test(d.name);
}

export async function browseFolder(req: BrowseRequest, opts: BrowseOptions): Promise<FolderListing> {
  const max = opts.maxEntries ?? MAX_BROWSE_ENTRIES;
  const { dir, selected } = await folderOf(req, opts.home);
  const dirents = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => { throw cannotList(dir, err); });
  const candidates = dirents.filter((d) => mayList(d, req)).sort((a, b) => byName.compare(a.name, b.name) || (a.name < b.name ? -1 : 1));
  const entries: FolderEntry[] = [];
  let next = 0;
  for (; next < candidates.length && entries.length < max; next++) {
    const entry = await toEntry(dir, candidates[next]!, req);
    if (entry) entries.push(entry);
  }
  const note: AppError | undefined = next < candidates.length ? {
    code: 'browse-truncated', message: `Only the first ${entries.length} entries are shown.`,
    action: 'Type the path of a folder that is not listed in the path bar.', params: { shown: entries.length },
  } : undefined;
  const parent = dirname(dir);
  const [roots, places] = await Promise.all([fileSystemRoots(opts.platform), commonPlaces(opts)]);
  return {
    path: dir,
    parent: parent === dir ? null : parent,
    entries: [...entries.filter((e) => e.kind === 'folder'), ...entries.filter((e) => e.kind === 'file')],
    ...(selected ? { selected } : {}),
    ...(note ? { note } : {}),
    roots,
    places,
    separator: sep,
  };
}
