// One download (or import) of a model at a time, across processes too: the app, a CLI in another terminal and a
// second window share the models folder. The lock is a file created exclusively; one left by a process that died
// (a crash, kill -9) is taken over, so a lock can never block a model for ever.
import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ModelError } from './model-error.js';

export function lockPathOf(modelsDir: string, id: string): string {
  return join(modelsDir, `.${id}.lock`);
}

/** Takes the lock for `id` or throws model-busy naming the process that holds it; returns the release function. */
export function acquireModelLock(modelsDir: string, id: string): () => void {
  const path = lockPathOf(modelsDir, id);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try { writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() })); } finally { closeSync(fd); }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try { unlinkSync(path); } catch { /* already gone */ }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      if (holder && holderAlive(holder)) {
        throw new ModelError({
          code: 'model-busy',
          message: `"${id}" is already being downloaded or imported (by process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}).`,
          action: 'Wait for that to finish (its progress shows in Library > Models), then try again.',
          params: { id, pid: holder.pid },
        });
      }
      try { unlinkSync(path); } catch { /* someone else took it over first */ }
    }
  }
  throw new ModelError({
    code: 'model-busy', message: `"${id}" is already being downloaded or imported.`,
    action: 'Wait for that to finish, then try again.', params: { id, pid: 0 },
  });
}

interface Holder { pid: number; host: string }

function readHolder(path: string): Holder | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof v.pid === 'number' ? { pid: v.pid, host: String(v.host ?? '') } : null;
  } catch {
    return null; // half-written by a process that died mid-write: stale
  }
}

/** A holder on another host (a shared network folder) is trusted; on this host, only while its process lives. */
function holderAlive(h: Holder): boolean {
  if (h.host && h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
