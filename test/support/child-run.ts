// Runs one exported function of a project module in a fresh child node process, with a hard deadline, and reports
// its result, wall time and the child's peak RSS. Tests of "finishes in linear time" and "stays under 1 GB" need
// both: a regression to quadratic time must fail after the deadline instead of hanging the suite, and peak RSS is
// only meaningful for a process that did nothing else.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { projectRoot } from './temp.js';

export interface ChildRun<T> {
  /** The function's awaited result (an async iterable is collected into an array); JSON round-tripped. */
  result: T;
  ms: number;
  /** Peak resident set size of the child, in MiB. */
  peakRssMb: number;
}

const MARK = '\u0000CHILD-RESULT\u0000';

/** Imports `modulePath` (relative to the project root) in a child and calls export `fn` with `args` (JSON). */
export function runInChild<T>(modulePath: string, fn: string, args: unknown[], timeoutMs: number): ChildRun<T> {
  const url = pathToFileURL(`${projectRoot}/${modulePath}`).href;
  const script = `
    const t0 = performance.now();
    const m = await import(${JSON.stringify(url)});
    let r = await m[${JSON.stringify(fn)}](...${JSON.stringify(args)});
    if (r && typeof r[Symbol.asyncIterator] === 'function') { const all = []; for await (const x of r) all.push(x); r = all; }
    const ms = performance.now() - t0;
    process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ result: r ?? null, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
    process.exit(0);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024,
  });
  if (child.error || child.signal) {
    throw new Error(`${modulePath} ${fn}() did not finish within ${timeoutMs} ms (${child.signal ?? child.error?.message}): ${child.stderr.slice(-2000)}`);
  }
  const at = child.stdout.lastIndexOf(MARK);
  if (child.status !== 0 || at === -1) throw new Error(`${modulePath} ${fn}() failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(child.stdout.slice(at + MARK.length)) as ChildRun<T>;
}
