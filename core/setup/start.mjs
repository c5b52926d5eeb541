// `npm start`: the desktop app when the Electron binary is installed, otherwise serve mode in the browser, with
// one line saying why and where. Builds what is missing first (dist/ for Electron, dist/renderer for serve).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The Electron binary's path, or the reason there is none. */
export function findElectron() {
  try {
    // The electron package exports the binary's path; it throws when the binary was never downloaded.
    const bin = require('electron');
    if (typeof bin === 'string' && existsSync(bin)) return { bin };
    return { why: 'the electron package has no downloaded binary' };
  } catch (err) {
    return { why: /Cannot find module/.test(String(err)) ? 'the electron package is not installed' : 'the Electron binary is not installed' };
  }
}

function build(script, marker) {
  if (existsSync(join(root, marker))) return;
  const r = spawnSync(npm, ['run', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error(`localrag: \`npm run ${script}\` failed; fix the errors above and run npm start again.`);
    process.exit(r.status ?? 1);
  }
}

/**
 * better-sqlite3 is not N-API: Electron needs its own build for Electron's ABI. It is compiled once into
 * .cache/electron-native/<version>/ (the copy in node_modules stays built for Node, which the CLI and tests use)
 * and handed to the engine through LOCALRAG_SQLITE_BINDING. Returns null when it cannot be built.
 */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const dir = join(root, '.cache', 'electron-native', version, 'better-sqlite3');
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(dirname(require.resolve('better-sqlite3/package.json')), dir, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], { cwd: dir, stdio: 'inherit' });
  return r.status === 0 && existsSync(binding) ? binding : null;
}

function launchElectron(bin) {
  build('build', 'dist/electron/main.js');
  build('build:renderer', 'dist/renderer/index.html');
  const binding = process.env.LOCALRAG_SQLITE_BINDING ?? electronSqliteBinding();
  if (!binding) console.error('localrag: could not build better-sqlite3 for Electron; the library will report the database as unavailable.');
  const env = { ...process.env, ...(binding ? { LOCALRAG_SQLITE_BINDING: binding } : {}) };
  const child = spawn(bin, [root], { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

function launchServe(why) {
  build('build:renderer', 'dist/renderer/index.html');
  const child = spawn(process.execPath, [join(root, 'core', 'cli', 'bin.mjs'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  let announced = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const url = announced ? null : line.match(/https?:\/\/127\.0\.0\.1:\d+\/\S*/)?.[0];
    if (url) {
      announced = true;
      console.log(`LocalRAG is running in your browser (serve mode, because ${why}): ${url}`);
    } else {
      console.log(line);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const electron = process.env.LOCALRAG_FORCE_SERVE ? { why: 'LOCALRAG_FORCE_SERVE is set' } : findElectron();
  if (electron.bin) launchElectron(electron.bin);
  else launchServe(electron.why);
}
