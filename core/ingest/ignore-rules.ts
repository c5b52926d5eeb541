// What the indexer never looks at: dot-names (hidden files, .git), node_modules, and whatever the folder's
// .gitignore files (root and nested) exclude. Shared by the walker and the watcher so both agree.
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readSmallRegularFileSync } from './regular-file.js';

const ALWAYS_IGNORED = new Set(['node_modules']);
/** Larger rules files are ignored: real ones are a few KB, and a pipe or a huge file must not stall the walk. */
const MAX_RULES_FILE_BYTES = 1024 * 1024;

/** A name that is never indexed whatever the .gitignore says. */
export function isHiddenOrVendored(name: string): boolean {
  return name.startsWith('.') || ALWAYS_IGNORED.has(name);
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

export class IgnoreRules {
  readonly root: string;
  /** Rules per folder (absolute path), null when that folder has no .gitignore. */
  private readonly byDir = new Map<string, Ignore | null>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Forget cached .gitignore contents (all, or one folder's) after a .gitignore changed. */
  invalidate(dir?: string): void {
    if (dir === undefined) this.byDir.clear();
    else this.byDir.delete(resolve(dir));
  }

  private rulesFor(dir: string): Ignore | null {
    let rules = this.byDir.get(dir);
    if (rules !== undefined) return rules;
    const files = [join(dir, '.gitignore')];
    // The repository's own exclude list applies like a root .gitignore.
    if (dir === this.root) files.unshift(join(dir, '.git', 'info', 'exclude'));
    rules = null;
    for (const file of files) {
      // Missing, unreadable, too large or not a regular file (a FIFO named .gitignore once blocked for ever): no rules.
      const text = readSmallRegularFileSync(file, MAX_RULES_FILE_BYTES);
      if (text === null) continue;
      rules ??= ignore();
      rules.add(text);
    }
    this.byDir.set(dir, rules);
    return rules;
  }

  /**
   * Whether `name` inside `parentDir` is ignored, given that `parentDir` itself is not (the walker's case:
   * it never descends into ignored folders, so each entry costs one check per .gitignore on its path).
   */
  isIgnoredChild(parentDir: string, name: string, isDir: boolean): boolean {
    if (isHiddenOrVendored(name)) return true;
    const abs = join(parentDir, name);
    const rel = relative(this.root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    const parts = rel.split(sep);
    let ignored = false;
    // Deeper .gitignore files win over shallower ones, as in git.
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = depth === 0 ? this.root : join(this.root, ...parts.slice(0, depth));
      const rules = this.rulesFor(dir);
      if (!rules) continue;
      const sub = toPosix(parts.slice(depth).join(sep)) + (isDir ? '/' : '');
      const verdict = rules.test(sub);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }

  /**
   * Whether an absolute path under the root is ignored (checks every ancestor). Paths outside the root are
   * not this folder's business: false. `isDir` is looked up on disk when not given.
   */
  isIgnored(absPath: string, isDir?: boolean): boolean {
    const abs = resolve(absPath);
    const rel = relative(this.root, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    const parts = rel.split(sep);
    let parent = this.root;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const dir = last ? (isDir ?? isDirectoryOnDisk(abs)) : true;
      if (this.isIgnoredChild(parent, parts[i], dir)) return true;
      parent = join(parent, parts[i]);
    }
    return false;
  }
}

function isDirectoryOnDisk(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
