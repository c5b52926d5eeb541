#!/usr/bin/env node
// One set-up for every machine: online users take the normal paths (prebuilt faiss-node, onnxruntime's CUDA
// add-on, Electron's binary); offline machines (like CI here) fall back to what can be had from the npm registry
// and Debian's packages, saying in one line what they lack. Plain Node: it runs before any dependency exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronSqliteBinding } from './electron-native.mjs';
import { binCommand, npmCommand, runCommand } from './spawn.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const say = (line) => console.log(`[setup] ${line}`);

/** Runs a program (system tools: apt-get, tar) or a command from spawn.mjs (npm, packages' tools); true when it succeeded. */
function run(cmd, args, opts = {}) {
  const r = typeof cmd === 'string'
    ? spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts, env: { ...process.env, ...opts.env } })
    : runCommand(cmd, { cwd: root, ...opts });
  return r.status === 0;
}

function loads(name) {
  const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(name)})`], { cwd: root, stdio: 'ignore' });
  return r.status === 0;
}

function installPackages() {
  // The CUDA add-on of onnxruntime-node is fetched separately below so that a failed download cannot fail the
  // whole install; the CPU build ships inside the npm package.
  // faiss-node's and Electron's own install scripts are not allowed to run (package.json allowScripts): they
  // download, and their fallbacks below work offline too. `npm install` rather than `npm ci`: the lock file
  // names node-llama-cpp's per-platform binary packages, some of which the registry lacks, and ci refuses that.
  const env = { ONNXRUNTIME_NODE_INSTALL: 'skip' };
  if (!run(npmCommand(['install', '--no-audit', '--no-fund']), [], { env })) throw new Error('npm install failed');
}

function aptInstall(packages) {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) return false;
  const missing = packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return true;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  say(`installing Debian packages: ${missing.join(' ')}`);
  const [cmd, ...pre] = sudo.length ? sudo : ['apt-get'];
  const base = sudo.length ? [...pre, 'apt-get'] : [];
  run(cmd, [...base, 'update', '-qq']);
  return run(cmd, [...base, 'install', '-y', '-qq', ...missing], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

// faiss-node's own install tries a prebuilt binary, then a git clone of FAISS; offline both fail and npm drops the
// optional dependency. Here we put it back from the registry tarball and build it against the system FAISS.
function ensureFaiss() {
  if (loads('faiss-node')) return say('faiss-node: ready');
  const target = join(root, 'node_modules', 'faiss-node');
  const version = require(join(root, 'package.json')).optionalDependencies['faiss-node'];
  const work = mkdtempSync(join(tmpdir(), 'faiss-node-'));
  if (!run(npmCommand(['pack', `faiss-node@${version}`, '--silent']), [], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] })) {
    throw new Error(`could not fetch faiss-node@${version} from the npm registry`);
  }
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tgz], { cwd: work });
  rmSync(target, { recursive: true, force: true });
  cpSync(join(work, 'package'), target, { recursive: true });
  rmSync(work, { recursive: true, force: true });
  if (!run(npmCommand(['install', '--omit=dev', '--ignore-scripts', '--no-save', '--no-package-lock', '--no-audit', '--no-fund']), [], { cwd: target })) {
    throw new Error('could not install faiss-node\'s own dependencies');
  }
  if (run(binCommand(target, 'prebuild-install', ['--runtime', 'napi']), [], { cwd: target }) && loads('faiss-node')) {
    return say('faiss-node: prebuilt binary installed');
  }
  say('faiss-node: no prebuilt binary reachable; building against the system FAISS (libfaiss-dev)');
  if (process.platform !== 'linux') throw new Error('faiss-node has no prebuilt binary for this platform and the source build is supported on Linux only');
  if (!aptInstall(['libfaiss-dev', 'libopenblas-dev', 'patchelf', 'cmake'])) {
    throw new Error('install libfaiss-dev libopenblas-dev patchelf cmake (apt-get) and run `npm run setup` again');
  }
  const shim = join(target, 'deps', 'faiss');
  mkdirSync(shim, { recursive: true });
  cpSync(join(root, 'core', 'setup', 'faiss-shim'), shim, { recursive: true });
  if (!run(binCommand(root, 'cmake-js', ['compile', '--log-level', 'warn']), [], { cwd: target }) || !loads('faiss-node')) {
    throw new Error('faiss-node source build failed (see the cmake output above)');
  }
  say('faiss-node: built from source against the system FAISS');
}

function ensureOnnxCuda() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  if (process.env.ONNXRUNTIME_NODE_INSTALL === 'skip') return say('onnxruntime-node: CPU build (CUDA add-on skipped by ONNXRUNTIME_NODE_INSTALL=skip)');
  const ort = dirname(require.resolve('onnxruntime-node/package.json'));
  const lib = join(ort, 'bin', 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so');
  if (existsSync(lib)) return say('onnxruntime-node: CUDA add-on present');
  // Its script can exit 0 after a failed download, so the file itself is the evidence.
  spawnSync(process.execPath, [join(ort, 'script', 'install.js')], { cwd: ort, stdio: 'ignore', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' }, timeout: 600_000 });
  const ok = existsSync(lib);
  say(ok ? 'onnxruntime-node: CUDA add-on installed' : 'onnxruntime-node: CUDA add-on could not be downloaded (offline?); using the CPU build. See README "GPU".');
}

function ensureElectron() {
  if (!existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
    return say('Electron: not installed (its binary download failed, offline?); `npm start` will run the app in serve mode in your browser.');
  }
  if (!(loads('electron') && existsSync(require('electron')))) {
    const ok = spawnSync(process.execPath, ['install.js'], { cwd: join(root, 'node_modules', 'electron'), stdio: 'ignore', timeout: 600_000 }).status === 0;
    if (!ok) return say('Electron: binary unavailable (offline?); `npm start` will run the app in serve mode in your browser.');
    say('Electron: binary installed');
  } else say('Electron: ready');
  // Electron needs its own build of better-sqlite3: prepared now so `npm start` does not wait, or says why not.
  const version = require(join(root, 'node_modules', 'electron', 'package.json')).version;
  const sqlite = electronSqliteBinding({ root, version });
  say('error' in sqlite ? `${sqlite.error} (until then \`npm start\` uses serve mode)` : `better-sqlite3 for Electron: ${sqlite.how}`);
}

// Browser tests drive Debian's Chromium (Playwright's own browser download is not reachable offline).
function ensureTestBrowser() {
  if (process.platform !== 'linux' || existsSync('/usr/bin/chromium')) return;
  if (!aptInstall(['chromium'])) say('Chromium: not installed; browser tests will skip (apt-get install chromium)');
}

function build() {
  if (!run(npmCommand(['run', 'build', '--silent']), [])) throw new Error('build failed');
}

try {
  if (!process.argv.includes('--no-install')) installPackages();
  ensureFaiss();
  for (const name of ['better-sqlite3', 'onnxruntime-node']) {
    if (!loads(name)) throw new Error(`${name} does not load after install`);
  }
  ensureOnnxCuda();
  ensureElectron();
  ensureTestBrowser();
  build();
  say('done');
} catch (err) {
  console.error(`[setup] failed: ${err.message}`);
  process.exit(1);
}
