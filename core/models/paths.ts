// The one data-folder resolver: Electron, the CLI and serve mode all find the store and the models here, per
// platform, with environment variables for portable set-ups and tests (older names still work).
import { homedir } from 'node:os';
import path from 'node:path';

type Env = Record<string, string | undefined>;

export interface DataDirs {
  /** The app's data folder (LOCALRAG_HOME or the platform's per-user data folder). */
  dataDir: string;
  /** SQLite, FAISS and evaluation output. */
  storeDir: string;
  /** ONNX models, one folder per model id. */
  modelsDir: string;
}

export interface DataDirsOptions {
  env?: Env;
  platform?: NodeJS.Platform;
  home?: string;
  /** --store, when given. */
  store?: string;
  /** --models, when given. */
  models?: string;
}

/**
 * Store: --store, else LOCALRAG_STORE_DIR (the desktop app's former name), else `<dataDir>/store`.
 * Models: --models, else LOCALRAG_MODELS, else LOCALRAG_MODELS_DIR (former desktop name), else `<dataDir>/models`.
 */
export function resolveDataDirs(opts: DataDirsOptions = {}): DataDirs {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const home = opts.home ?? homedir();
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const dataDir = defaultDataDir(env, platform, home);
  return {
    dataDir,
    storeDir: opts.store || env.LOCALRAG_STORE_DIR || join(dataDir, 'store'),
    modelsDir: opts.models || env.LOCALRAG_MODELS || env.LOCALRAG_MODELS_DIR || join(dataDir, 'models'),
  };
}

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

/** `<dataDir>/models`, or LOCALRAG_MODELS (LOCALRAG_MODELS_DIR) when set. */
export function defaultModelsDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  return resolveDataDirs({ env, platform, home }).modelsDir;
}
