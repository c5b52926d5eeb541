// Installing a model folder atomically: fill `<modelsDir>/<id>.partial/`, then rename it to `<modelsDir>/<id>/`.
// A crash or an interrupted download leaves only the .partial folder, which never counts as a model.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDir } from './layout.js';
import { ModelError } from './model-error.js';
import { PARTIAL_SUFFIX } from './registry.js';

/** Staging folders in use in this process: a second download/import of the same id waits its turn by failing fast. */
const busy = new Set<string>();

export function partialDirOf(modelsDir: string, id: string): string {
  return join(modelsDir, id + PARTIAL_SUFFIX);
}

/**
 * Runs fill() on a fresh staging folder and installs it as `<modelsDir>/<id>` when fill resolves; removes the
 * staging folder when it throws. An existing model folder of that id is replaced only after the new one is complete.
 */
export async function installStaged(modelsDir: string, id: string, fill: (stagingDir: string) => Promise<void>): Promise<string> {
  const staging = partialDirOf(modelsDir, id);
  const target = join(modelsDir, id);
  if (busy.has(staging)) {
    throw new ModelError({
      code: 'model-busy',
      message: `"${id}" is already being downloaded or imported.`,
      action: 'Wait for that to finish, then try again.',
    });
  }
  busy.add(staging);
  try {
    await rm(staging, { recursive: true, force: true }); // leftovers of an earlier interrupted attempt
    await mkdir(staging, { recursive: true });
    try {
      await fill(staging);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      throw err;
    }
    await swapIn(staging, target);
    return target;
  } finally {
    busy.delete(staging);
  }
}

/** rename() cannot replace a non-empty folder, so an old one steps aside first and comes back if the swap fails. */
async function swapIn(staging: string, target: string): Promise<void> {
  if (!isDir(target)) {
    await rename(staging, target);
    return;
  }
  const old = `${target}.replaced-${process.pid}-${Date.now()}${PARTIAL_SUFFIX}`;
  await rename(target, old);
  try {
    await rename(staging, target);
  } catch (err) {
    await rename(old, target);
    throw err;
  }
  await rm(old, { recursive: true, force: true });
}
