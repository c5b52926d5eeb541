// Installing a model folder atomically: fill `<modelsDir>/<id>.partial/`, then rename it to `<modelsDir>/<id>/`.
// A crash or an interrupted download leaves only the .partial folder, which never counts as a model; a download
// keeps it so the next attempt resumes, an import starts afresh. One fill per id at a time, across processes.
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireModelLock } from './download-lock.js';
import { isDir } from './layout.js';
import { PARTIAL_SUFFIX } from './registry.js';

export function partialDirOf(modelsDir: string, id: string): string {
  return join(modelsDir, id + PARTIAL_SUFFIX);
}

export interface StagingOptions {
  /** Keep what an earlier attempt left in the staging folder, and keep it again when fill throws. */
  resume?: boolean;
}

/**
 * Runs fill() on the staging folder and installs it as `<modelsDir>/<id>` when fill resolves. An existing model
 * folder of that id is replaced only after the new one is complete.
 */
export async function installStaged(modelsDir: string, id: string, fill: (stagingDir: string) => Promise<void>, opts: StagingOptions = {}): Promise<string> {
  const staging = partialDirOf(modelsDir, id);
  const target = join(modelsDir, id);
  await mkdir(modelsDir, { recursive: true });
  const release = acquireModelLock(modelsDir, id);
  try {
    if (!opts.resume) await rm(staging, { recursive: true, force: true }); // leftovers of an earlier attempt
    await mkdir(staging, { recursive: true });
    try {
      await fill(staging);
    } catch (err) {
      if (!opts.resume) await rm(staging, { recursive: true, force: true });
      throw err;
    }
    await swapIn(staging, target);
    return target;
  } finally {
    release();
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
