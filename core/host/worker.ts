// Starts the engine host in a worker thread and returns its client (serve mode, the responsiveness benchmark).
import { Worker } from 'node:worker_threads';
import type { Settings } from '../contract/settings.js';
import { createHostClient, type HostClient } from './client.js';
import { fromWorker } from './port.js';

export interface WorkerHostOptions {
  storeDir: string;
  modelsDir: string;
  watch?: boolean;
  overrides?: Partial<Settings>;
  maxFileBytes?: number;
  /** No engine log lines on stderr. */
  quiet?: boolean;
  /** Diagnostic log lines too (which execution provider was tried and why). */
  verbose?: boolean;
  /** Take OLLAMA_HOST from the environment as the CLI does (localrag serve). */
  ollamaHostEnv?: boolean;
}

export function startWorkerHost(options: WorkerHostOptions, log: (line: string) => void = () => {}): HostClient {
  const worker = spawnWorker('worker-entry', { options });
  worker.on('error', (err) => log(`engine worker failed: ${err.message}`));
  return createHostClient(fromWorker(worker), log);
}

/** A worker thread running one of this folder's entry modules (`name` without extension), from a checkout or a build. */
export function spawnWorker(name: string, data: Record<string, unknown>): Worker {
  // From a checkout this module is TypeScript: the boot script registers tsx in the worker first.
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  return fromSource
    ? new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...data, entry } })
    : new Worker(new URL(entry), { workerData: { ...data, entry } });
}
