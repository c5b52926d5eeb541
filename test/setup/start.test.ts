// npm start's decisions that can be checked without Electron: the Linux sandbox case (Ubuntu 23.10+/24.04), the
// Electron build of better-sqlite3 (prebuilt first, compiled as a fallback, one message when both fail), the
// platforms onnxruntime-node has no binary for, and the exit status of a start that did not come up.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { Command } from '../../core/setup/spawn.mjs';
import { electronSqliteBinding } from '../../core/setup/electron-native.mjs';
import { linuxSandboxProblem } from '../../core/setup/linux-sandbox.mjs';
import { onnxRuntimeMissing } from '../../core/setup/start.mjs';
import { projectRoot, tempDir } from '../support/temp.js';

const electronBin = '/home/ada/localrag/node_modules/electron/dist/electron';
const helper = '/home/ada/localrag/node_modules/electron/dist/chrome-sandbox';
const npmInstalled = { uid: 1000, mode: 0o100755 };
const setuidRoot = { uid: 0, mode: 0o104755 };

test('Ubuntu 24.04 with the helper as npm installed it: detected, with both fixes printed', () => {
  const problem = linuxSandboxProblem(electronBin, { platform: 'linux', uid: 1000, sysctl: (n) => (n === 'apparmor_restrict_unprivileged_userns' ? '1' : null), sandboxStat: (p) => (p === helper ? npmInstalled : null) });
  assert.ok(problem);
  assert.match(problem.why, /user namespaces/);
  const fix = problem.fix.join('\n');
  assert.match(fix, new RegExp(`sudo chown root:root "${helper}" && sudo chmod 4755 "${helper}"`));
  assert.match(fix, /apparmor_parser -r \/etc\/apparmor\.d\/localrag-electron/);
  assert.match(fix, new RegExp(`profile localrag-electron "${electronBin}"`));
});

test('no problem where Electron\'s sandbox will start', () => {
  const restricted = (n: string) => (n === 'apparmor_restrict_unprivileged_userns' ? '1' : null);
  assert.equal(linuxSandboxProblem(electronBin, { platform: 'linux', uid: 1000, sysctl: restricted, sandboxStat: () => setuidRoot }), null, 'the helper is setuid root');
  const allowed = (n: string) => (n === 'apparmor_restrict_unprivileged_userns' ? '0' : '1');
  assert.equal(linuxSandboxProblem(electronBin, { platform: 'linux', uid: 1000, sysctl: allowed, sandboxStat: () => npmInstalled }), null, 'user namespaces are allowed (Ubuntu 22.04, Fedora)');
  assert.equal(linuxSandboxProblem(electronBin, { platform: 'linux', uid: 1000, sysctl: () => null, sandboxStat: () => npmInstalled }), null, 'no such settings');
  assert.equal(linuxSandboxProblem(electronBin, { platform: 'darwin', uid: 501 }), null);
  assert.equal(linuxSandboxProblem(electronBin, { platform: 'win32', uid: -1 }), null);
  const debian = linuxSandboxProblem(electronBin, { platform: 'linux', uid: 1000, sysctl: (n) => (n === 'unprivileged_userns_clone' ? '0' : null), sandboxStat: () => npmInstalled });
  assert.ok(debian, 'older Debian with user namespaces switched off');
  assert.match(linuxSandboxProblem(electronBin, { platform: 'linux', uid: 0 })?.why ?? '', /root/);
});

function fakeBetterSqlite(): string {
  const dir = join(tempDir('localrag-fake-bsq-'), 'better-sqlite3');
  mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"better-sqlite3","version":"12.9.0"}');
  writeFileSync(join(dir, 'build', 'Release', 'better_sqlite3.node'), 'built for Node');
  return dir;
}

/** A runner that records the commands and plays prebuild-install / node-gyp with the given outcomes. */
function scripted(outcomes: Record<'prebuild-install' | 'node-gyp', boolean>) {
  const ran: { tool: string; args: string[]; cwd: string }[] = [];
  const run = (cmd: Command, opts: { cwd?: string | URL }) => {
    const tool = /prebuild-install/.test(cmd.args[0]!) ? 'prebuild-install' : 'node-gyp';
    const cwd = String(opts.cwd);
    ran.push({ tool, args: cmd.args.slice(1), cwd });
    assert.equal(cmd.command, process.execPath, 'run with this Node, not a shim');
    const ok = outcomes[tool as 'prebuild-install' | 'node-gyp'];
    if (ok) {
      mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
      writeFileSync(join(cwd, 'build', 'Release', 'better_sqlite3.node'), `from ${tool}`);
    }
    return { status: ok ? 0 : 1, signal: null };
  };
  return { ran, run };
}

test("Electron's better-sqlite3 comes from a prebuilt binary first, without compiling", () => {
  const cacheDir = tempDir('localrag-native-');
  const { ran, run } = scripted({ 'prebuild-install': true, 'node-gyp': true });
  const r = electronSqliteBinding({ root: projectRoot, cacheDir, version: '38.8.6', platform: 'linux', arch: 'x64', run, sourceDir: fakeBetterSqlite() });
  assert.ok('binding' in r && r.how === 'prebuilt');
  assert.deepEqual(ran.map((x) => x.tool), ['prebuild-install']);
  assert.deepEqual(ran[0]!.args, ['--runtime', 'electron', '--target', '38.8.6', '--arch', 'x64', '--platform', 'linux']);
  assert.equal(r.binding, join(cacheDir, '38.8.6', 'linux-x64', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
  assert.equal(dirname(dirname(dirname(r.binding))), ran[0]!.cwd);
  const again = electronSqliteBinding({ root: projectRoot, cacheDir, version: '38.8.6', platform: 'linux', arch: 'x64', run, sourceDir: fakeBetterSqlite() });
  assert.equal('binding' in again && again.how, 'cached');
  assert.equal(ran.length, 1, 'nothing runs the second time');
});

test("without a prebuilt binary it is compiled for Electron's headers; when both fail one message says what to install", () => {
  const compiled = scripted({ 'prebuild-install': false, 'node-gyp': true });
  const r = electronSqliteBinding({ root: projectRoot, cacheDir: tempDir('localrag-native-'), version: '38.8.6', platform: 'win32', arch: 'x64', run: compiled.run, sourceDir: fakeBetterSqlite() });
  assert.ok('binding' in r && r.how === 'compiled');
  assert.deepEqual(compiled.ran.map((x) => x.tool), ['prebuild-install', 'node-gyp']);
  assert.ok(compiled.ran[1]!.args.includes('--target=38.8.6') && compiled.ran[1]!.args.includes('--dist-url=https://electronjs.org/headers'));
  assert.equal(existsSync(join(compiled.ran[0]!.cwd, 'build', 'Release', 'better_sqlite3.node')), true);

  const failing = scripted({ 'prebuild-install': false, 'node-gyp': false });
  const bad = electronSqliteBinding({ root: projectRoot, cacheDir: tempDir('localrag-native-'), version: '38.8.6', platform: 'win32', arch: 'x64', run: failing.run, sourceDir: fakeBetterSqlite() });
  assert.ok('error' in bad);
  assert.match(bad.error, /no prebuilt binary could be downloaded .* compiling it failed/);
  assert.match(bad.error, /Visual Studio Build Tools/);
  assert.equal(existsSync(join(failing.ran[0]!.cwd, 'build', 'Release', 'better_sqlite3.node')), false, 'the Node build is not copied in as if it were Electron\'s');
});

test('onnxruntime-node has binaries for this machine, and none for Intel Macs (said clearly)', () => {
  assert.equal(onnxRuntimeMissing(process.platform, process.arch), null);
  assert.match(onnxRuntimeMissing('darwin', 'x64') ?? '', /onnxruntime-node 1\.30\.\d+ ships no binary for darwin\/x64 \(Intel Macs\)/);
  assert.equal(onnxRuntimeMissing('darwin', 'arm64'), null);
  assert.equal(onnxRuntimeMissing('win32', 'x64'), null);
});

test('npm start exits with the app\'s status, 128 + signal when it was killed', () => {
  // The same mapping start.mjs applies to Electron's and serve mode's exit: a child that aborts is not a success.
  const aborted = spawnSync(process.execPath, ['-e', `
    const { spawn } = require('node:child_process');
    import(${JSON.stringify(join(projectRoot, 'core/setup/spawn.mjs'))}).then(({ exitCodeFor }) => {
      const child = spawn(process.execPath, ['-e', 'process.kill(process.pid, "SIGTRAP")']);
      child.on('exit', (code, signal) => process.exit(exitCodeFor(code, signal)));
    });`]);
  assert.equal(aborted.status, 133);
});
