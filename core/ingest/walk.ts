// Lists the files of a folder that should be indexed. Never throws and never loops: every problem (broken or
// looping symlink, unreadable folder, oversized file, pipe) becomes a skipped entry with a reason.
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errnoOf, fsReason, tooLargeReason } from './fs-reasons.js';
import { IgnoreRules, isHiddenOrVendored } from './ignore-rules.js';

export { IgnoreRules, isHiddenOrVendored } from './ignore-rules.js';

export interface WalkFile {
  path: string;
  relPath: string;
  size: number;
  mtimeMs: number;
  skipped?: undefined;
}

export interface WalkSkipped {
  path: string;
  relPath: string;
  skipped: true;
  reason: string;
  /** The reason's stable code (for the interface's translations), when it has one. */
  code?: string;
}

export type WalkEntry = WalkFile | WalkSkipped;

export interface WalkOptions {
  /** Files above this many bytes are reported as skipped (too large) instead of listed. */
  maxFileBytes?: number;
}

/** For the watcher and one-off checks: is `path` (absolute) ignored under folder `root`? */
export function isIgnoredPath(root: string, path: string, rules: IgnoreRules = new IgnoreRules(root)): boolean {
  return rules.isIgnored(path);
}

function linkProblem(err: unknown): string {
  switch (errnoOf(err)) {
    case 'ELOOP':
      return 'symlink loop: the link leads back to itself';
    case 'ENOENT':
      return 'broken symlink: its target does not exist';
    default:
      return fsReason(err).reason;
  }
}

export async function* walkFolder(root: string, opts: WalkOptions = {}): AsyncIterable<WalkEntry> {
  const absRoot = resolve(root);
  const maxBytes = opts.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const skip = (path: string, why: string | { code: string; reason: string }): WalkSkipped => ({
    path, relPath: relative(absRoot, path), skipped: true, ...(typeof why === 'string' ? { reason: why } : why),
  });

  let rootReal: string;
  try {
    const st = await stat(absRoot);
    if (!st.isDirectory()) {
      yield skip(absRoot, 'not a folder');
      return;
    }
    rootReal = await realpath(absRoot);
  } catch (err) {
    yield skip(absRoot, fsReason(err, 'folder'));
    return;
  }

  const rules = new IgnoreRules(absRoot);
  /** Real path of every folder entered -> where it was first entered, so loops and duplicates are caught. */
  const seen = new Map<string, string>([[rootReal, absRoot]]);
  /**
   * Symlinked folders wait until the real tree is done, so real paths win over aliases whatever their names,
   * and a link into the tree is reported as a duplicate rather than indexed under the link's path.
   */
  const linkedDirs: string[] = [];

  async function* walkDir(dir: string): AsyncGenerator<WalkEntry> {
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      yield skip(dir, fsReason(err, 'folder'));
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const abs = join(dir, d.name);
      // Dot-names and node_modules first, so ignored symlinks are never even followed.
      if (isHiddenOrVendored(d.name)) continue;
      let st: Stats | null = null;
      if (d.isSymbolicLink()) {
        try {
          st = await stat(abs);
        } catch (err) {
          if (!rules.isIgnoredChild(dir, d.name, false)) yield skip(abs, linkProblem(err));
          continue;
        }
      }
      const isDir = st ? st.isDirectory() : d.isDirectory();
      if (rules.isIgnoredChild(dir, d.name, isDir)) continue;
      if (isDir && st) {
        linkedDirs.push(abs);
        continue;
      }
      if (isDir) {
        const real = await realpath(abs).catch(() => abs);
        seen.set(real, abs);
        yield* walkDir(abs);
        continue;
      }
      if (!st) {
        try {
          st = await stat(abs);
        } catch (err) {
          yield skip(abs, fsReason(err));
          continue;
        }
      }
      if (!st.isFile()) {
        yield skip(abs, { code: 'not-a-file', reason: 'not a regular file (pipe, socket or device): not indexed' });
        continue;
      }
      if (st.size > maxBytes) {
        yield skip(abs, { code: 'too-large', reason: tooLargeReason(st.size, maxBytes) });
        continue;
      }
      yield { path: abs, relPath: relative(absRoot, abs), size: st.size, mtimeMs: st.mtimeMs };
    }
  }

  yield* walkDir(absRoot);
  // Links found inside linked folders join the queue as they are found.
  for (let i = 0; i < linkedDirs.length; i++) {
    const link = linkedDirs[i];
    let real: string;
    let realParent: string;
    try {
      real = await realpath(link);
      realParent = await realpath(dirname(link));
    } catch (err) {
      yield skip(link, fsReason(err, 'folder'));
      continue;
    }
    if (realParent === real || realParent.startsWith(real + sep)) {
      yield skip(link, `symlink loop: links back to a folder that contains it (${relative(absRoot, seen.get(real) ?? real) || '.'})`);
      continue;
    }
    const first = seen.get(real);
    if (first !== undefined) {
      yield skip(link, `duplicate: the same folder is already indexed as ${relative(absRoot, first) || '.'}`);
      continue;
    }
    const relReal = relative(rootReal, real);
    if (!relReal.startsWith('..') && !isAbsolute(relReal)) {
      // Inside the folder but never entered: hidden, vendored or gitignored. A link must not smuggle it in.
      yield skip(link, `links into an ignored folder (${relReal})`);
      continue;
    }
    seen.set(real, link);
    yield* walkDir(link);
  }
}
