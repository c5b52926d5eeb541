// Where the folder browser offers to jump: the file system's roots (the drives on Windows) and the user's common
// places. Linux desktops may rename Documents/Desktop/Downloads (e.g. ~/ドキュメント on a Japanese desktop): the
// names come from XDG's user-dirs.dirs, as the file managers read them.
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { BrowsePlace } from '../contract/vocabulary.js';

export interface PlaceOptions {
  home: string;
  modelsDir?: string;
  platform?: NodeJS.Platform;
  /** Environment read for XDG_CONFIG_HOME (default process.env). */
  env?: Record<string, string | undefined>;
}

const XDG_KEYS: Partial<Record<BrowsePlace, string>> = { documents: 'DOCUMENTS', desktop: 'DESKTOP', downloads: 'DOWNLOAD' };
const DEFAULT_NAMES: Partial<Record<BrowsePlace, string>> = { documents: 'Documents', desktop: 'Desktop', downloads: 'Downloads' };

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * XDG user directories from `user-dirs.dirs` (lines like `XDG_DOCUMENTS_DIR="$HOME/ドキュメント"`). A missing or
 * unreadable file gives {}; a value that is neither under $HOME nor absolute is ignored, as xdg-user-dir does.
 */
export function xdgUserDirs(home: string, env: Record<string, string | undefined>): Record<string, string> {
  const config = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  let text: string;
  try {
    text = readFileSync(join(config, 'user-dirs.dirs'), 'utf8');
  } catch {
    return {};
  }
  const dirs: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*XDG_([A-Z]+)_DIR\s*=\s*"([^"]*)"\s*$/gm)) {
    const value = m[2]!.replace(/\\(.)/g, '$1');
    const path = value.startsWith('$HOME') ? join(home, value.slice(5)) : value;
    if (isAbsolute(path)) dirs[m[1]!] = resolve(path); // "$HOME/" is home itself

  }
  return dirs;
}

/** Home, Documents, Desktop, Downloads and the models folder, each only where it is a folder. */
export async function commonPlaces(opts: PlaceOptions): Promise<{ id: BrowsePlace; path: string }[]> {
  const platform = opts.platform ?? process.platform;
  const xdg = platform === 'linux' ? xdgUserDirs(opts.home, opts.env ?? process.env) : {};
  const candidates: { id: BrowsePlace; path: string }[] = [{ id: 'home', path: opts.home }];
  for (const id of ['documents', 'desktop', 'downloads'] as const) {
    const fromXdg = xdg[XDG_KEYS[id]!];
    // xdg-user-dirs points an unused directory at $HOME itself: that is not a place of its own.
    if (fromXdg && fromXdg !== opts.home) candidates.push({ id, path: fromXdg });
    else if (!fromXdg) candidates.push({ id, path: join(opts.home, DEFAULT_NAMES[id]!) });
  }
  if (opts.modelsDir) candidates.push({ id: 'models', path: opts.modelsDir });
  const present = await Promise.all(candidates.map((c) => isFolder(c.path)));
  return candidates.filter((_, i) => present[i]);
}

const DRIVE_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `/` on POSIX; on Windows every drive letter that answers (a missing drive fails stat at once). */
export async function fileSystemRoots(platform: NodeJS.Platform = process.platform, exists: (path: string) => Promise<boolean> = isFolder): Promise<string[]> {
  if (platform !== 'win32') return ['/'];
  const drives = [...DRIVE_LETTERS].map((l) => `${l}:\\`);
  const present = await Promise.all(drives.map((d) => exists(d)));
  return drives.filter((_, i) => present[i]);
}
