// Temporary folders for tests, removed when the test process exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
// Removed when the process exits, after every test's own after-hooks (an engine closing late may still write).
process.on('exit', () => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh folder, removed when the test process exits. */
export function tempDir(prefix = 'localrag-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export const projectRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const sharedDir = join(projectRoot, '..', 'shared');
