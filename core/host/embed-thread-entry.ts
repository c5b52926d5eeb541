// The embedding thread (see embed-thread.ts): loads the embedder once, then embeds the groups of passages it is
// sent, transferring the vectors back without a copy.
import { parentPort, workerData } from 'node:worker_threads';
import { Embedder, type EmbedStats } from '../embed/embedder.js';
import type { EmbedThreadOptions } from './embed-thread.js';

if (!parentPort) throw new Error('embed-thread-entry runs in a worker thread');
const port = parentPort;
const options = (workerData as { options: EmbedThreadOptions }).options;

try {
  const embedder = await Embedder.load(options);
  port.on('message', (m: { type: 'embed'; id: number; texts: string[] }) => {
    const stats: EmbedStats = { ms: 0, batches: 0, tokens: 0 };
    embedder.embedPassages(m.texts, stats).then(
      (vectors) => port.postMessage({ type: 'vectors', id: m.id, vectors, stats }, [...new Set(vectors.map((v) => v.buffer as ArrayBuffer))]),
      (err: unknown) => port.postMessage({ type: 'error', id: m.id, message: (err as Error).message }),
    );
  });
  port.postMessage({ type: 'ready', key: embedder.key });
} catch (err) {
  port.postMessage({ type: 'failed', message: (err as Error).message });
}
