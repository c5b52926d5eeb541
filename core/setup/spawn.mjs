// Running npm and packages' command-line tools the same way on every OS. Windows cannot spawn `npm.cmd` or a
// `.bin/*.cmd` shim without a shell (Node >= 20.12.2 refuses with EINVAL since the CVE-2024-27980 fix), and going
// through a shell brings quoting trouble; so every tool runs as `node <its JavaScript entry>`: npm from the
// npm_execpath npm sets for scripts (or the npm that ships beside node), packages from their package.json `bin`.
// Plain Node, no dependencies: set-up runs this before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';

/**
 * How to run npm: `{ command, args, shell }` for spawn. `env`, `platform` and `execPath` default to this process's
 * (tests pass other platforms' values).
 */
export function npmCommand(args, { env = process.env, platform = process.platform, execPath = process.execPath, exists = existsSync } = {}) {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const candidates = [
    env.npm_execpath,
    // Windows installers put npm beside node.exe; Unix ones under <prefix>/lib/node_modules.
    p.join(p.dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    p.join(p.dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const cli = candidates.find((c) => c && /npm-cli\.js$/.test(c) && exists(c));
  if (cli) return { command: execPath, args: [cli, ...args], shell: false };
  // Last resort: the npm on PATH. On Windows that is npm.cmd, which only a shell can run; our args are plain words.
  return platform === 'win32' ? { command: 'npm.cmd', args, shell: true } : { command: 'npm', args, shell: false };
}

/** How to run package `pkg`'s command `bin` (default: its only one) with this Node, resolved from `fromDir`. */
export function binCommand(fromDir, pkg, args = [], { bin, execPath = process.execPath } = {}) {
  const require = createRequire(path.join(fromDir, 'noop.js'));
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin ?? Object.keys(manifest.bin ?? {})[0]];
  if (!entry) throw new Error(`${pkg} has no command${bin ? ` called ${bin}` : ''}`);
  return { command: execPath, args: [path.join(path.dirname(manifestPath), entry), ...args], shell: false };
}

/** Runs a command from npmCommand/binCommand, inheriting stdio unless told otherwise; returns spawnSync's result. */
export function runCommand({ command, args, shell }, opts = {}) {
  return spawnSync(command, args, { stdio: 'inherit', ...opts, shell, env: { ...process.env, ...opts.env } });
}

/**
 * The exit status that says how a child ended: its code, or 128 + the signal's number when a signal killed it
 * (what shells report), so a crash or an abort never reads as success.
 */
export function exitCodeFor(code, signal) {
  if (typeof code === 'number') return code;
  if (signal) return 128 + (constants.signals[signal] ?? 0) || 1;
  return 1;
}
