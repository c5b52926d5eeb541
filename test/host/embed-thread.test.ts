// Passages embedded on their own thread (token ids in, from the engine's tokenizer) come back identical to the
// engine's own, and only large groups go there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Embedder } from '../../core/embed/embedder.js';
import { EmbedThread, passagesOffThread } from '../../core/host/embed-thread.js';
import { tinyModels } from '../support/models.js';
import { sameBits } from '../support/vectors.js';

const texts = Array.from({ length: 40 }, (_, i) => `Passage ${i}: the wing ${'stalls '.repeat(i % 7)}at a high angle of attack.`);

/** The tiny embedder loaded here and in a thread with the same settings; both closed after `use`. */
async function withBoth(preferQuantized: boolean, use: (local: Embedder, thread: EmbedThread, settings: { executionProvider: 'cpu'; preferQuantized: boolean; embedBatchSize: number }) => Promise<void>): Promise<void> {
  const { embedderDir } = await tinyModels();
  const settings = { executionProvider: 'cpu' as const, preferQuantized, embedBatchSize: 8 };
  const local = await Embedder.load({ id: 'tiny-embedder', modelDir: embedderDir, settings });
  const thread = await EmbedThread.start({ id: 'tiny-embedder', modelDir: embedderDir, settings, padId: local.tokenizer.padId });
  try {
    await use(local, thread, settings);
  } finally {
    await thread.close();
    await local.close();
  }
}

test('the embedding thread makes the same vectors as the engine thread, and takes only large groups', async () => {
  await withBoth(false, async (local, thread, settings) => {
    assert.equal(thread.key, local.key, 'the same model, tokenizer and settings');
    assert.equal(thread.provider, local.provider);
    const mine = await local.embedPassages(texts);
    let threadCalls = 0;
    const wrapped = passagesOffThread(local, settings.embedBatchSize, async () => { threadCalls++; return thread; });
    const stats = { ms: 0, batches: 0, tokens: 0 };
    const theirs = await wrapped.embedPassages(texts, stats);
    assert.equal(threadCalls, 1, '40 passages (5 batches) go to the thread');
    assert.equal(stats.batches, 5);
    assert.equal(theirs.length, mine.length);
    theirs.forEach((v, i) => assert.deepEqual(Array.from(v), Array.from(mine[i]!), `passage ${i}`));
    await wrapped.embedPassages(texts.slice(0, 8));
    assert.equal(threadCalls, 1, 'one batch stays on the engine thread');
    assert.equal(wrapped.key, local.key);
    assert.equal(wrapped.tokenizer, local.tokenizer);
  });
});

test('int8: the thread and the engine thread store the same bytes however the passages are grouped', async () => {
  await withBoth(true, async (local, thread) => {
    const theirs = (await thread.embedEncoded(local.encodePassages(texts))).vectors;
    const mine: Float32Array[] = [];
    for (let k = 0; k < texts.length; k += 7) mine.push(...await local.embedPassages(texts.slice(k, k + 7)));
    theirs.forEach((v, i) => assert.ok(sameBits(v, mine[i]!), `passage ${i}: one group of 40 on the thread vs groups of 7 here`));
  });
});

test('a model that cannot load in the thread says why', async () => {
  await assert.rejects(EmbedThread.start({ id: 'nope', modelDir: '/nonexistent/model', settings: { executionProvider: 'cpu', preferQuantized: false, embedBatchSize: 8 }, padId: 0 }), /./);
});
