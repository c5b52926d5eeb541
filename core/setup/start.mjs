// `npm start`: the desktop app when Electron can run here, otherwise serve mode in the browser, with one line saying
// why and where. Builds what is missing first (dist/ for Electron, dist/renderer for serve). Exits with the app's
// own status, and non-zero (128 + signal) when it died by a signal: a failed start never reads as success.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { electronSqliteBinding } from './electron-native.mjs';
import { linuxSandboxProblem, SANDBOX_ABORT_PATTERN } from './linux-sandbox.mjs';
import { exitCodeFor, npmCommand, runCommand } from './spawn.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const say = (line) => console.error(`localrag: ${line}`);

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

/**
 * The engine needs onnxruntime-node's native binary for this platform and CPU; 1.30 ships none for Intel Macs
 * (darwin/x64). Returns the reason the engine cannot run here, or null.
 */
export function onnxRuntimeMissing(platform = process.platform, arch = process.arch) {
  let dir;
  try {
    dir = join(require.resolve('onnxruntime-node/package.json'), '..', 'bin', 'napi-v6', platform, arch);
  } catch {
    return 'onnxruntime-node is not installed (run npm run setup)';
  }
  if (existsSync(dir)) return null;
  const version = JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')).version;
  return `onnxruntime-node ${version} ships no binary for ${platform}/${arch}${platform === 'darwin' && arch === 'x64' ? ' (Intel Macs): LocalRAG runs on Apple silicon Macs, Windows and Linux' : ''}`;
}

function build(script, marker) {
  if (existsSync(join(root, marker))) return;
  const r = runCommand(npmCommand(['run', script]), { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    say(`\`npm run ${script}\` failed; fix the errors above and run npm start again.`);
    process.exit(exitCodeFor(r.status, r.signal) || 1);
  }
}

function printSandboxFix(problem) {
  say(`the desktop window cannot start: ${problem.why}.`);
  for (const line of problem.fix) console.error(`  ${line}`);
}

function launchElectron(bin) {
  build('build', 'dist/electron/main.js');
  build('build:renderer', 'dist/renderer/index.html');
  const sandbox = linuxSandboxProblem(bin);
  if (sandbox) {
    printSandboxFix(sandbox);
    return launchServe('the desktop window cannot start until the sandbox is fixed (see above)');
  }
  let binding = process.env.LOCALRAG_SQLITE_BINDING;
  if (!binding) {
    const version = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
    const sqlite = electronSqliteBinding({ root, version });
    if ('error' in sqlite) {
      say(sqlite.error);
      return launchServe('the database library could not be prepared for Electron (see above)');
    }
    binding = sqlite.binding;
  }
  const child = spawn(bin, [root], { cwd: root, env: { ...process.env, LOCALRAG_SQLITE_BINDING: binding }, stdio: ['inherit', 'inherit', 'pipe'] });
  let sandboxAbort = false;
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    if (SANDBOX_ABORT_PATTERN.test(String(chunk))) sandboxAbort = true;
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    // Detection above can miss a case (another distribution's policy): Electron's own message names it.
    if (sandboxAbort) {
      printSandboxFix(linuxSandboxProblem(bin, { sysctl: () => '1' }) ?? { why: 'Electron\'s sandbox could not start', fix: [] });
      say('meanwhile, `LOCALRAG_FORCE_SERVE=1 npm start` runs LocalRAG in your browser.');
    }
    process.exit(exitCodeFor(code, signal));
  });
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
  child.on('exit', (code, signal) => process.exit(exitCodeFor(code, signal)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const missing = onnxRuntimeMissing();
  if (missing) {
    say(`the engine cannot run on this computer: ${missing}.`);
    process.exit(1);
  }
  const electron = process.env.LOCALRAG_FORCE_SERVE ? { why: 'LOCALRAG_FORCE_SERVE is set' } : findElectron();
  if (electron.bin) launchElectron(electron.bin);
  else launchServe(electron.why);
}
