// Runs every test file under test/ (except benchmarks and fixtures) with node's test runner, TypeScript via tsx.
// Node 20's --test has no glob support, so the files are listed here. Pass file filters as arguments.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['bench', 'fixtures', 'node_modules']);
function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return skipDirs.has(name) ? [] : find(path);
    return /\.test\.tsx?$/.test(name) ? [relative(root, path)] : [];
  });
}
const filters = process.argv.slice(2);
const files = find(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
