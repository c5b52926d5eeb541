// The embedding thread (see embed-thread.ts): loads the passage model once, without a tokenizer (the engine sends
// token ids), then embeds the groups it is sent, transferring the vectors back without a copy.
import { parentPort, workerData } from 'node:worker_threads';
import { PassageModel, syntheticProbe, type EmbedStats } from '../embed/passage-model.js';
import { profileFor } from '../embed/profiles.js';
import type { Encoded } from '../embed/encoded.js';
import type { EmbedThreadOptions } from './embed-thread.js';

if (!parentPort) throw new Error('embed-thread-entry runs in a worker thread');
const port = parentPort;
const options = (workerData as { options: EmbedThreadOptions }).options;

try {
  const probe = syntheticProbe(profileFor(options.id, options.modelDir, 'embedder').maxLength);
  const model = await PassageModel.load({ ...options, probe });
  port.on('message', (m: { type: 'embed'; id: number; encoded: Encoded[] }) => {
    const stats: EmbedStats = { ms: 0, batches: 0, tokens: 0 };
    model.embedEncoded(m.encoded, stats).then(
      (vectors) => port.postMessage({ type: 'vectors', id: m.id, vectors, stats }, [...new Set(vectors.map((v) => v.buffer as ArrayBuffer))]),
      (err: unknown) => port.postMessage({ type: 'error', id: m.id, message: (err as Error).message }),
    );
  });
  port.postMessage({ type: 'ready', key: model.key, provider: model.provider });
} catch (err) {
  port.postMessage({ type: 'failed', message: (err as Error).message });
}
