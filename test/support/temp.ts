// Temporary folders for tests, removed when the test ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `owner` is a test context or anything with after(fn) that runs fn at the end. */
export function tempDir(t: { after(fn: () => void): void }, prefix = 'localrag-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const projectRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const sharedDir = join(projectRoot, '..', 'shared');
