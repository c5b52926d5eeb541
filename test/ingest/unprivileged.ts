// Permission bits do not stop root. To test real EACCES when the suite runs as root, the code under test runs in a
// child node process as the unprivileged user 'nobody' (uid/gid 65534); as a normal user it runs in-process.
import { spawnSync } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './real-tokenizer.js';

export const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Lets 'nobody' traverse the temp folders on the way to a fixture (mkdtemp makes them 0700). */
export async function openUpForNobody(...dirs: string[]): Promise<void> {
  for (const d of dirs) await chmod(d, 0o755);
}

/**
 * Imports `modulePath` (relative to the project root) as 'nobody', calls export `fn` with `args`, and returns its
 * awaited result (an async iterable is collected into an array). JSON in, JSON out.
 */
export function callAsNobody(modulePath: string, fn: string, args: unknown[]): unknown {
  const url = pathToFileURL(`${projectRoot}/${modulePath}`).href;
  const script = `
    const m = await import(${JSON.stringify(url)});
    let r = await m[${JSON.stringify(fn)}](...${JSON.stringify(args)});
    if (r && typeof r[Symbol.asyncIterator] === 'function') { const all = []; for await (const x of r) all.push(x); r = all; }
    process.stdout.write(JSON.stringify(r));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot, uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`child as nobody failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout);
}
