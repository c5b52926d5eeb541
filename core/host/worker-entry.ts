// The engine in a worker thread (serve mode): its own event loop, so the HTTP server stays responsive while the
// engine indexes, embeds or answers.
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../engine.js';
import { hostEngine } from './engine-host.js';
import { fromNodePort } from './port.js';
import type { WorkerHostOptions } from './worker.js';

if (!parentPort) throw new Error('worker-entry runs in a worker thread');
const options = (workerData as { options: WorkerHostOptions }).options;
const log = (line: string) => process.stderr.write(`${line}\n`);
const hosted = hostEngine(fromNodePort(parentPort), () => createEngine({ ...options, log: options.quiet ? undefined : log }), log);
void hosted.stopped.then((how) => process.exit(how === 'failed' ? 1 : 0));
