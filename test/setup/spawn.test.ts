// Set-up's way of running npm and packages' tools: as `node <script>` on every OS, never `npm.cmd` without a shell.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { binCommand, exitCodeFor, npmCommand, runCommand } from '../../core/setup/spawn.mjs';
import { projectRoot } from '../support/temp.js';

test('npm runs on this OS as node + npm-cli.js, and answers', () => {
  const cmd = npmCommand(['--version']);
  assert.equal(cmd.shell, false);
  assert.equal(cmd.command, process.execPath);
  assert.match(cmd.args[0]!, /npm-cli\.js$/);
  const r = runCommand(cmd, { stdio: 'pipe', encoding: 'utf8' });
  assert.equal(r.status, 0, String(r.stderr));
  assert.match(String(r.stdout).trim(), /^\d+\.\d+\.\d+$/);
});

test('on Windows npm is node.exe + npm-cli.js too (npm.cmd without a shell is EINVAL on Node >= 20.12.2)', () => {
  const node = 'C:\\Program Files\\nodejs\\node.exe';
  const besideNode = npmCommand(['install'], { env: {}, platform: 'win32', execPath: node, exists: (p) => p === 'C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js' });
  assert.deepEqual(besideNode, { command: node, args: ['C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js', 'install'], shell: false });
  const fromScript = npmCommand(['run', 'build'], { env: { npm_execpath: 'D:\\nvm\\npm\\bin\\npm-cli.js' }, platform: 'win32', execPath: node, exists: () => true });
  assert.deepEqual(fromScript.args, ['D:\\nvm\\npm\\bin\\npm-cli.js', 'run', 'build'], 'npm_execpath (set by npm for scripts) comes first');
  const yarn = npmCommand(['install'], { env: { npm_execpath: 'C:\\yarn\\yarn.js' }, platform: 'win32', execPath: node, exists: (p) => p.endsWith('npm-cli.js') && !p.includes('yarn') });
  assert.match(yarn.args[0]!, /nodejs\\node_modules\\npm\\bin\\npm-cli\.js$/, 'another package manager\'s script is not taken for npm');
  const nothing = npmCommand(['install'], { env: {}, platform: 'win32', execPath: node, exists: () => false });
  assert.deepEqual(nothing, { command: 'npm.cmd', args: ['install'], shell: true }, 'the last resort goes through a shell');
});

test('on macOS and Linux npm is found under the node prefix', () => {
  const cmd = npmCommand(['ci'], { env: {}, platform: 'darwin', execPath: '/opt/homebrew/bin/node', exists: (p) => p === '/opt/homebrew/lib/node_modules/npm/bin/npm-cli.js' });
  assert.deepEqual(cmd, { command: '/opt/homebrew/bin/node', args: ['/opt/homebrew/lib/node_modules/npm/bin/npm-cli.js', 'ci'], shell: false });
});

test("packages' tools run as node + their bin script, not through .bin shims", () => {
  for (const [pkg, pattern] of [['prebuild-install', /prebuild-install[\\/]bin\.js$/], ['cmake-js', /cmake-js[\\/]bin[\\/]cmake-js$/], ['node-gyp', /node-gyp[\\/]bin[\\/]node-gyp\.js$/]] as const) {
    const cmd = binCommand(projectRoot, pkg, ['--version']);
    assert.equal(cmd.command, process.execPath, pkg);
    assert.match(cmd.args[0]!, pattern);
    const r = spawnSync(cmd.command, cmd.args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `${pkg}: ${r.stderr}`);
  }
  assert.throws(() => binCommand(projectRoot, 'zod'), /has no command/);
});

test('a child that died by a signal never exits 0', () => {
  assert.equal(exitCodeFor(0, null), 0);
  assert.equal(exitCodeFor(3, null), 3);
  assert.equal(exitCodeFor(null, 'SIGTRAP'), 133, 'Electron aborting on its sandbox check');
  assert.equal(exitCodeFor(null, 'SIGSEGV'), 139);
  assert.equal(exitCodeFor(null, 'SIGKILL'), 137);
  assert.equal(exitCodeFor(null, 'SIGINT'), 130);
  assert.equal(exitCodeFor(null, null), 1);
  const killed = spawnSync(process.execPath, ['-e', 'process.kill(process.pid, "SIGABRT")']);
  assert.equal(exitCodeFor(killed.status, killed.signal), 134);
});
