// Passage embedding on its own thread while the engine indexes. onnxruntime-node runs a session synchronously on
// the calling thread (its run() only defers to setImmediate), so a batch of passages would hold the engine's event
// loop for the whole batch and every UI call (status, search) would wait behind it. A second session of the same
// model in a worker thread embeds the passages; the engine's thread stays free for questions. Small groups (the
// watcher's few changed files, tests) stay on the engine's thread: a thread and a second session cost more there.
// Even one int8 passage per call (core/embed/passage-model.ts) held the engine's loop too long without the thread:
// event-loop delay p95 58-134 ms vs 12-13 ms with it, indexing 150 Cranfield abstracts on the bench model. The
// thread gets token ids from the engine's tokenizer, so it loads the session only (~95 MiB of the ~130 it costs).
import type { Worker } from 'node:worker_threads';
import type { Embedder } from '../embed/embedder.js';
import type { Encoded } from '../embed/encoded.js';
import type { EmbedStats, PassageModelOptions } from '../embed/passage-model.js';
import { spawnWorker } from './worker.js';

/** The engine's embedder's model and settings, and its tokenizer's pad id: the thread gets token ids, not texts. */
export type EmbedThreadOptions = Omit<PassageModelOptions, 'log'> & { padId: number };

type Reply = { type: 'ready'; key: string; provider: string } | { type: 'failed'; message: string } | { type: 'vectors'; id: number; vectors: Float32Array[]; stats: EmbedStats } | { type: 'error'; id: number; message: string };

export class EmbedThread {
  private readonly pending = new Map<number, { resolve(v: { vectors: Float32Array[]; stats: EmbedStats }): void; reject(e: Error): void }>();
  private nextId = 1;
  private exited = false;

  private constructor(private readonly worker: Worker, readonly key: string, readonly provider: string) {
    worker.on('message', (m: Reply) => {
      if (m.type !== 'vectors' && m.type !== 'error') return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'vectors') p?.resolve(m);
      else p?.reject(new Error(m.message));
    });
    worker.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error('the embedding thread stopped'));
      this.pending.clear();
    });
  }

  /** Loads the model in a new thread; rejects with the reason when it cannot. */
  static start(opts: EmbedThreadOptions): Promise<EmbedThread> {
    // preload []: this thread never tokenises, so a checkout's worker need not load @huggingface/transformers.
    const worker = spawnWorker('embed-thread-entry', { options: opts, preload: [] });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the embedding thread exited (${code}) before it was ready`));
      worker.once('exit', onExit);
      worker.once('error', reject);
      worker.once('message', (m: Reply) => {
        worker.off('exit', onExit);
        if (m.type === 'ready') resolve(new EmbedThread(worker, m.key, m.provider));
        else {
          void worker.terminate();
          reject(new Error(m.type === 'failed' ? m.message : 'unexpected first message'));
        }
      });
    });
  }

  /** Vectors of passages the engine tokenised (Embedder.encodePassages), in the order given. */
  embedEncoded(encoded: Encoded[]): Promise<{ vectors: Float32Array[]; stats: EmbedStats }> {
    if (this.exited) return Promise.reject(new Error('the embedding thread stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'embed', id, encoded });
    });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await this.worker.terminate();
  }
}

/** Groups at least this many times the batch size go to the thread; smaller ones are embedded where they are. */
const THREAD_MIN_BATCHES = 4;

/**
 * The same embedder, except that large groups of passages are embedded on `thread()` (started on first need).
 * Vectors are identical: the thread loads the same files with the same settings, checked by the embedder's key, and
 * a passage's vector does not depend on the group it is sent in (core/embed/passage-model.ts, QUANTIZED_PASSAGES_PER_CALL).
 */
export function passagesOffThread(local: Embedder, batchSize: number, thread: () => Promise<EmbedThread | null>): Embedder {
  const wrapped = Object.create(local) as Embedder;
  wrapped.embedPassages = async (texts: string[], stats?: EmbedStats) => {
    const t = texts.length >= batchSize * THREAD_MIN_BATCHES ? await thread() : null;
    // The same weights (key) on the same provider, else the vectors could differ by more than nothing.
    if (!t || t.key !== local.key || t.provider !== local.provider) return local.embedPassages(texts, stats);
    const r = await t.embedEncoded(local.encodePassages(texts));
    if (stats) { stats.ms += r.stats.ms; stats.batches += r.stats.batches; stats.tokens += r.stats.tokens; }
    return r.vectors;
  };
  return wrapped;
}
