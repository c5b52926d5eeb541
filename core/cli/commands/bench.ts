// localrag bench index|query|rerank: runs the benchmark script of that name (the same as npm run bench:<name>).
// With --json, stdout holds only the benchmark's BENCH_SUMMARY object; its other lines go to stderr as they come.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EXIT, printJson, UsageError } from '../args.js';
import { BENCHMARKS } from '../usage.js';

const SUMMARY = 'BENCH_SUMMARY ';

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || !(BENCHMARKS as readonly string[]).includes(name)) {
    throw new UsageError(`bench needs a benchmark name, one of ${BENCHMARKS.join(', ')}${name ? ` (got "${name}")` : ''}`);
  }
  const script = fileURLToPath(new URL(`../../../test/bench/${name}.bench.ts`, import.meta.url));
  const json = rest.includes('--json');
  // tsx by its own URL: a bare `--import tsx` is looked up from the working directory, so it failed outside a checkout.
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), script, ...rest.filter((a) => a !== '--json')], {
    stdio: ['inherit', json ? 'pipe' : 'inherit', 'inherit'],
  });
  let summary: unknown;
  if (json) {
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith(SUMMARY)) summary = JSON.parse(line.slice(SUMMARY.length));
      else process.stderr.write(`${line}\n`);
    }
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (summary !== undefined) printJson(summary);
  return code ?? EXIT.error;
}
