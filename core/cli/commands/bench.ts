// localrag bench index|query|rerank: runs the benchmark script of that name (the same as npm run bench:<name>).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError } from '../args.js';
import { BENCHMARKS } from '../usage.js';

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || !(BENCHMARKS as readonly string[]).includes(name)) {
    throw new UsageError(`bench needs a benchmark name, one of ${BENCHMARKS.join(', ')}${name ? ` (got "${name}")` : ''}`);
  }
  const script = fileURLToPath(new URL(`../../../test/bench/${name}.bench.ts`, import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...rest], { stdio: 'inherit' });
  return r.status ?? EXIT.error;
}
