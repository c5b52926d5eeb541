// Stands in for Electron's utility process in tests: a worker thread whose `process.parentPort` behaves like
// Electron's (messages arrive as { data } events) and whose argv carries fork()'s args, then the real
// electron/engine-process.ts runs in it unchanged.
import { parentPort, workerData } from 'node:worker_threads';

process.parentPort = {
  postMessage: (message) => parentPort.postMessage(message),
  on: (event, listener) => {
    if (event === 'message') parentPort.on('message', (data) => listener({ data, ports: [] }));
  },
};
process.argv = [process.execPath, workerData.modulePath, ...workerData.args];
if (workerData.entry.endsWith('.ts')) {
  const { registerTsx } = await import('../../core/host/register-tsx.mjs');
  await registerTsx();
}
await import(workerData.entry);
