// localrag's own folders (the store with its SQLite and FAISS files, and the models folder) are never documents:
// a folder that contains them excludes them (indexing the store re-indexed its own writes for ever through the
// watcher), and a folder inside them cannot be added.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { AppError } from '../contract/api.js';
import { problems, type FileProblem } from './file-problems.js';

export interface OwnDirs {
  store: string;
  models: string;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether `path` is `dir` or lies inside it (both absolute). */
export function isWithin(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The own folders, each as given and as its real path, so a symlinked store is recognised either way. */
export class OwnDirMatcher {
  private readonly dirs: { path: string; problem: () => FileProblem }[];

  constructor(own: OwnDirs | undefined) {
    const kinds = own ? [{ dir: own.store, problem: problems.ownStore }, { dir: own.models, problem: problems.ownModels }] : [];
    this.dirs = kinds.flatMap(({ dir, problem }) => [...new Set([resolve(dir), real(dir)])].map((path) => ({ path, problem })));
  }

  /** Why `path` (absolute) is never indexed, when it is one of our folders or lies inside one; else null. */
  problemFor(path: string): FileProblem | null {
    return this.dirs.find((d) => isWithin(d.path, path))?.problem() ?? null;
  }
}

/** Refuses a folder to index that lies inside the store or the models folder (it holds no documents of the user's). */
export function ownDirRefusal(folder: string, own: OwnDirs): AppError | null {
  const target = real(folder);
  for (const [what, dir] of [['store', own.store], ['models folder', own.models]] as const) {
    const base = real(dir);
    if (isWithin(base, target)) {
      return {
        code: what === 'store' ? 'folder-inside-store' : 'folder-inside-models',
        message: `${folder} is inside localrag's ${what} (${base}): it holds localrag's own files, not your documents.`,
        action: 'Pick a folder outside it.',
        params: { folder, dir: base },
      };
    }
  }
  return null;
}
