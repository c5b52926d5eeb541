// Keeps folders current: chokidar events, filtered by the walker's ignore rules, coalesced into one callback per
// burst (an editor's save storm, a git checkout) so the indexer runs once per burst, not once per event.
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { watch } from 'chokidar';
import { IgnoreRules } from './ignore-rules.js';
import { OwnDirMatcher, type OwnDirs } from './own-dirs.js';

export interface FolderChanges {
  /** Files added or modified (absolute paths). */
  changed: string[];
  /** Files deleted; may also name deleted folders, meaning everything under them is gone. */
  removed: string[];
}

export interface WatchOptions {
  /** Quiet time after the last event before the callback fires (default 500 ms). */
  debounceMs?: number;
  /** Longest a continuous stream of events can delay the callback (default 10 x debounceMs). */
  maxWaitMs?: number;
  /** Watcher errors (e.g. too many watched files); ignored when not given. */
  onError?: (err: Error) => void;
  /** localrag's store and models folders: their own writes must never look like changed documents. */
  ownDirs?: OwnDirs;
}

export interface FolderWatcher {
  /** Resolves once the initial scan is done and later changes will be reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * A symlinked folder that leads back to one of its own ancestors (chokidar would recurse forever) or into a
 * watched folder (its files would be reported twice, under a path the walker does not index). Same rule as the
 * walker, which indexes folders by their real path once.
 */
function isLoopOrAlias(path: string, realRoots: string[]): boolean {
  try {
    if (!lstatSync(path).isSymbolicLink()) return false;
    const real = realpathSync(path);
    if (!statSync(real).isDirectory()) return false;
    const realParent = realpathSync(dirname(path));
    if (realParent === real || realParent.startsWith(real + sep)) return true;
    return realRoots.some((root) => isUnder(root, real));
  } catch {
    return false; // broken link or raced deletion: chokidar copes
  }
}

function isUnder(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function watchFolders(folders: string[], onChange: (changes: FolderChanges) => void, opts: WatchOptions = {}): FolderWatcher {
  const debounceMs = opts.debounceMs ?? 500;
  const maxWaitMs = opts.maxWaitMs ?? debounceMs * 10;
  // Longest root first, so a path in a nested watched folder is judged by that folder's rules.
  const rules = folders.map((f) => new IgnoreRules(f)).sort((a, b) => b.root.length - a.root.length);
  const rulesFor = (path: string): IgnoreRules | undefined => rules.find((r) => isUnder(r.root, path));

  const realRoots = rules.map((r) => realOrSelf(r.root));

  const own = new OwnDirMatcher(opts.ownDirs);
  const isGitignore = (path: string): boolean => basename(path) === '.gitignore';
  const ignored = (path: string, stats?: { isDirectory(): boolean }): boolean => {
    const abs = resolve(path);
    const r = rulesFor(abs);
    if (!r) return false;
    if (own.problemFor(abs)) return true;
    if (isLoopOrAlias(abs, realRoots)) return true;
    // .gitignore files are watched (only) so that edits to them refresh the rules.
    if (isGitignore(abs)) return r.isIgnored(dirname(abs), true);
    return r.isIgnored(abs, stats?.isDirectory());
  };

  const changed = new Set<string>();
  const removed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let firstPendingAt = 0;
  let closed = false;

  const flush = (): void => {
    timer = null;
    if (closed || (changed.size === 0 && removed.size === 0)) return;
    const batch: FolderChanges = { changed: [...changed].sort(), removed: [...removed].sort() };
    changed.clear();
    removed.clear();
    onChange(batch);
  };
  const schedule = (): void => {
    const now = Date.now();
    if (timer === null) firstPendingAt = now;
    else clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstPendingAt + maxWaitMs - now));
    timer = setTimeout(flush, wait);
  };

  const watcher = watch(folders.map((f) => resolve(f)), {
    ignored,
    ignoreInitial: true,
    followSymlinks: true,
    persistent: true,
    // Editors that save by rename (write temp, rename over) then show up as one 'change', not unlink + add.
    atomic: true,
  });
  const note = (kind: 'changed' | 'removed', path: string): void => {
    const abs = resolve(path);
    if (isGitignore(abs)) {
      rulesFor(abs)?.invalidate(dirname(abs));
      return;
    }
    // The latest event for a path wins: deleted then re-created is a change, created then deleted is a removal.
    if (kind === 'changed') {
      removed.delete(abs);
      changed.add(abs);
    } else {
      changed.delete(abs);
      removed.add(abs);
    }
    schedule();
  };
  watcher.on('add', (p) => note('changed', p));
  watcher.on('change', (p) => note('changed', p));
  watcher.on('unlink', (p) => note('removed', p));
  watcher.on('unlinkDir', (p) => note('removed', p));
  watcher.on('error', (err) => opts.onError?.(err instanceof Error ? err : new Error(String(err))));

  const ready = new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await watcher.close();
    },
  };
}
