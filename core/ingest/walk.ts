// Lists the files of a folder that should be indexed. Never throws and never loops: every problem (broken or
// looping symlink, unreadable folder, oversized file, pipe) becomes a skipped entry with a reason.
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errnoOf, fsProblem, problems, reasonLine, type FileProblem, type Thing } from './file-problems.js';
import { IgnoreRules, isHiddenOrVendored } from './ignore-rules.js';
import { OwnDirMatcher, type OwnDirs } from './own-dirs.js';

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
  /** The problem as one English line (message: action). */
  reason: string;
  problem: FileProblem;
}

export type WalkEntry = WalkFile | WalkSkipped;

export interface WalkOptions {
  /** Files above this many bytes are reported as skipped (too large) instead of listed. */
  maxFileBytes?: number;
  /** localrag's store and models folders: reported once as never indexed, never entered. */
  ownDirs?: OwnDirs;
}

/** For the watcher and one-off checks: is `path` (absolute) ignored under folder `root`? */
export function isIgnoredPath(root: string, path: string, rules: IgnoreRules = new IgnoreRules(root)): boolean {
  return rules.isIgnored(path);
}

function linkProblem(err: unknown): FileProblem {
  switch (errnoOf(err)) {
    case 'ELOOP':
      return problems.symlinkLoop();
    case 'ENOENT':
      return problems.brokenSymlink();
    default:
      return fsProblem(err);
  }
}

/**
 * Node decodes names as UTF-8 and turns invalid bytes into U+FFFD, so such a name no longer opens (ENOENT): that is
 * a name to fix, not a file that disappeared.
 */
function entryProblem(err: unknown, name: string, what: Thing): FileProblem {
  return errnoOf(err) === 'ENOENT' && name.includes('\uFFFD') ? problems.unreadableFileName(name) : fsProblem(err, what);
}

export async function* walkFolder(root: string, opts: WalkOptions = {}): AsyncIterable<WalkEntry> {
  const absRoot = resolve(root);
  const maxBytes = opts.maxFileBytes ?? Number.POSITIVE_INFINITY;
  const skip = (path: string, problem: FileProblem): WalkSkipped => ({ path, relPath: relative(absRoot, path), skipped: true, reason: reasonLine(problem), problem });

  let rootReal: string;
  try {
    const st = await stat(absRoot);
    if (!st.isDirectory()) {
      yield skip(absRoot, problems.notAFolder());
      return;
    }
    rootReal = await realpath(absRoot);
  } catch (err) {
    yield skip(absRoot, fsProblem(err, 'folder'));
    return;
  }

  const own = new OwnDirMatcher(opts.ownDirs);
  const ownProblem = own.problemFor(absRoot) ?? own.problemFor(rootReal);
  if (ownProblem) {
    yield skip(absRoot, ownProblem);
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
      yield skip(dir, entryProblem(err, basename(dir), 'folder'));
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
        const ownDir = own.problemFor(abs) ?? own.problemFor(real);
        if (ownDir) {
          yield skip(abs, ownDir);
          continue;
        }
        seen.set(real, abs);
        yield* walkDir(abs);
        continue;
      }
      if (!st) {
        try {
          st = await stat(abs);
        } catch (err) {
          yield skip(abs, entryProblem(err, d.name, 'file'));
          continue;
        }
      }
      if (!st.isFile()) {
        yield skip(abs, problems.notRegularFile());
        continue;
      }
      if (st.size > maxBytes) {
        yield skip(abs, problems.tooLarge(st.size, maxBytes));
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
      yield skip(link, fsProblem(err, 'folder'));
      continue;
    }
    if (realParent === real || realParent.startsWith(real + sep)) {
      yield skip(link, problems.symlinkToAncestor(relative(absRoot, seen.get(real) ?? real) || '.'));
      continue;
    }
    const ownDir = own.problemFor(real);
    if (ownDir) {
      yield skip(link, ownDir);
      continue;
    }
    const first = seen.get(real);
    if (first !== undefined) {
      yield skip(link, problems.duplicateFolder(relative(absRoot, first) || '.'));
      continue;
    }
    const relReal = relative(rootReal, real);
    if (!relReal.startsWith('..') && !isAbsolute(relReal)) {
      // Inside the folder but never entered: hidden, vendored or gitignored. A link must not smuggle it in.
      yield skip(link, problems.linkIntoIgnored(relReal));
      continue;
    }
    seen.set(real, link);
    yield* walkDir(link);
  }
}
