// better-sqlite3 is not N-API: Electron needs a build for Electron's ABI, kept apart from the copy in node_modules
// (built for Node, which the CLI and tests use) in .cache/electron-native/<electron>/<platform>-<arch>/ and handed
// to the engine through LOCALRAG_SQLITE_BINDING. A prebuilt binary comes first (prebuild-install, what
// better-sqlite3's own install does, but for the Electron runtime); compiling with node-gyp is the fallback, and it
// needs Python 3 and a C++ toolchain. When both fail the caller gets one message saying what to install.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { binCommand, runCommand } from './spawn.mjs';

const TOOLCHAIN = {
  win32: 'Visual Studio Build Tools with "Desktop development with C++", and Python 3',
  darwin: 'the Xcode command line tools (xcode-select --install) and Python 3',
  linux: 'a C++ compiler and Python 3 (Debian/Ubuntu: sudo apt-get install build-essential python3)',
};

/**
 * Returns `{ binding, how }` (how: 'cached' | 'prebuilt' | 'compiled') or `{ error }`. The tools are resolved from
 * `root`; `run(cmd, opts)` runs a command (spawnSync-like result); `sourceDir` is the better-sqlite3 package to copy.
 */
export function electronSqliteBinding({
  root, version, platform = process.platform, arch = process.arch, run = runCommand,
  cacheDir = path.join(root, '.cache', 'electron-native'),
  sourceDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('better-sqlite3/package.json')),
}) {
  const dir = path.join(cacheDir, version, `${platform}-${arch}`, 'better-sqlite3');
  const binding = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return { binding, how: 'cached' };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(sourceDir, dir, { recursive: true, filter: (src) => path.relative(sourceDir, src).split(path.sep)[0] !== 'build' });

  const target = ['--runtime', 'electron', '--target', version, '--arch', arch, '--platform', platform];
  const prebuilt = run(binCommand(root, 'prebuild-install', target), { cwd: dir, stdio: 'pipe' });
  if (prebuilt.status === 0 && existsSync(binding)) return { binding, how: 'prebuilt' };

  const gyp = run(binCommand(root, 'node-gyp', ['rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers']), { cwd: dir });
  if (gyp.status === 0 && existsSync(binding)) return { binding, how: 'compiled' };
  return {
    error: `better-sqlite3 for Electron ${version} (${platform}-${arch}): no prebuilt binary could be downloaded `
      + `(prebuild-install exit ${prebuilt.status ?? prebuilt.signal}), and compiling it failed (node-gyp exit ${gyp.status ?? gyp.signal}). `
      + `Connect to the internet for the prebuilt binary, or install ${TOOLCHAIN[platform] ?? 'a C++ toolchain and Python 3'}, then run npm start again.`,
  };
}
