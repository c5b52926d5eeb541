// Where localrag keeps its data and models by default, per platform; env vars override for portable set-ups and tests.
import { homedir } from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * The app's data folder: LOCALRAG_HOME, else the platform's per-user data folder
 * (Linux: $XDG_DATA_HOME/localrag or ~/.local/share/localrag; Windows: %APPDATA%\localrag;
 * macOS: ~/Library/Application Support/localrag).
 */
export function defaultDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.LOCALRAG_HOME) return env.LOCALRAG_HOME;
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'localrag');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'localrag');
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(home, '.local', 'share');
  return path.posix.join(xdg, 'localrag');
}

/** `<dataDir>/models`, or LOCALRAG_MODELS when set. */
export function defaultModelsDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.LOCALRAG_MODELS) return env.LOCALRAG_MODELS;
  const join = platform === 'win32' ? path.win32.join : path.join;
  return join(defaultDataDir(env, platform, home), 'models');
}
