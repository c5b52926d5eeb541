// The engine in a worker thread (serve mode): its own event loop, so the HTTP server stays responsive while the
// engine indexes, embeds or answers.
import { parentPort, workerData } from 'node:worker_threads';
import { applyOllamaHostEnv, cliLog } from '../cli/open-engine.js';
import { createEngine } from '../engine.js';
import { hostEngine } from './engine-host.js';
import { fromNodePort } from './port.js';
import type { WorkerHostOptions } from './worker.js';

if (!parentPort) throw new Error('worker-entry runs in a worker thread');
const options = (workerData as { options: WorkerHostOptions }).options;
// The CLI's rule for engine notes: none with --quiet, provider diagnostics only with --verbose.
const log = cliLog({ quiet: options.quiet, verbose: options.verbose });
const hosted = hostEngine(fromNodePort(parentPort), async () => {
  const engine = await createEngine({ ...options, log });
  if (options.ollamaHostEnv) await applyOllamaHostEnv(engine, log);
  return engine;
}, log);
void hosted.stopped.then((how) => process.exit(how === 'failed' ? 1 : 0));
