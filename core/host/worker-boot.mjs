// A worker thread's first module: from a checkout the engine host is TypeScript, which a worker can only load
// once tsx is registered in it (Node 20 applies --import hooks to a worker's entry too late).
import { workerData } from 'node:worker_threads';

if (workerData.entry.endsWith('.ts')) {
  const { registerTsx } = await import('./register-tsx.mjs');
  await registerTsx(workerData.preload);
}
await import(workerData.entry);
