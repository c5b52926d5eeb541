// The cross-encoder on a real ONNX session (synthesised tiny BERT, real WordPiece tokenizer).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { batchesOf, CrossEncoder, emptyCrossStats, readLogits } from '../../core/rerank/cross-encoder.js';
import { CROSS_ID, passages, testSettings, tinyModels } from './setup.js';

const question = 'what similarity laws must be obeyed when constructing aeroelastic models of heated high speed aircraft';

describe('CrossEncoder', () => {
  let dir = '';
  const opened: CrossEncoder[] = [];
  const load = async (over: Partial<typeof testSettings> = {}, batchTokens?: number, pairsPerCall?: number) => {
    const c = await CrossEncoder.load({ id: CROSS_ID, modelDir: dir, settings: { ...testSettings, ...over }, batchTokens, pairsPerCall });
    opened.push(c);
    return c;
  };
  before(async () => { dir = (await tinyModels()).crossEncoderDir; });
  after(async () => { for (const c of opened) await c.close(); });

  it('batched scores equal one-at-a-time scores within 1e-4, in input order', async () => {
    const texts = passages(13); // 13 pairs in batches of 8: one full batch and one partial, lengths differ
    const encoder = await load({ preferQuantized: false, crossMaxLength: 512 }, Infinity);
    const stats = emptyCrossStats();
    const batched = await encoder.score(question, texts, stats);
    const single: number[] = [];
    for (const t of texts) single.push((await encoder.score(question, [t]))[0]!);
    batched.forEach((b, i) => assert.ok(Math.abs(b - single[i]!) < 1e-4, `pair ${i}: batched ${b} vs single ${single[i]}`));
    // Random weights still separate the pairs; equal logits everywhere would make this comparison vacuous.
    assert.ok(new Set(batched.map((x) => x.toFixed(5))).size > 5, 'logits should differ between passages');
    assert.equal(stats.batches, 2);
    assert.equal(stats.pairs, 13);
    // Sorted by length, each batch padded only to its own longest: fewer padded tokens than one batch of 13.
    const lengths = encoder.encode(question, texts).map((e) => e.ids.length);
    assert.equal(stats.tokens, lengths.reduce((s, x) => s + x, 0));
    assert.ok(stats.paddedTokens < 13 * Math.max(...lengths), `padded ${stats.paddedTokens}`);
  });

  it('keeps each batch within the padded-token budget, with the same scores', async () => {
    const texts = passages(13);
    // fp32: int8's dynamic quantisation scales activations per batch tensor, so its logits move with batch make-up.
    const budgeted = await load({ preferQuantized: false, crossMaxLength: 512 }, 600);
    const whole = await load({ preferQuantized: false, crossMaxLength: 512 }, Infinity);
    const stats = emptyCrossStats();
    const a = await budgeted.score(question, texts, stats);
    const b = await whole.score(question, texts);
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) < 1e-4, `pair ${i}`));
    const longest = Math.max(...budgeted.encode(question, texts).map((e) => e.ids.length));
    assert.ok(longest < 600, 'every pair fits the budget alone');
    assert.ok(stats.batches > 2, `${stats.batches} batches`);
    assert.ok(stats.paddedTokens <= stats.batches * 600);
  });

  it('int8: a pair scores exactly the same alone and inside any batch of candidates', async () => {
    const texts = passages(13);
    const encoder = await load({ preferQuantized: true, crossMaxLength: 512 }, Infinity);
    assert.equal(encoder.quantized, true);
    const stats = emptyCrossStats();
    const together = await encoder.score(question, texts, stats);
    assert.equal(stats.batches, 13, 'one pair per model call');
    const subset = await encoder.score(question, [texts[7]!, texts[2]!, texts[11]!]);
    for (const [i, t] of texts.entries()) {
      const alone = (await encoder.score(question, [t]))[0]!;
      assert.equal(together[i], alone, `pair ${i}: with 12 others ${together[i]} vs alone ${alone}`);
    }
    assert.deepEqual(subset, [together[7], together[2], together[11]]);
    // The hazard is real for this model: sharing one call (one activation scale) moves the logits.
    const shared = await (await load({ preferQuantized: true, crossMaxLength: 512 }, Infinity, 32)).score(question, texts);
    assert.ok(shared.some((x, i) => x !== together[i]), 'a shared int8 batch should shift some logit');
  });

  it('batchesOf packs sorted lengths under both limits', () => {
    // 100,100,100 fit 3 x 100 = 300 <= 350; the 4th (100) would make 400 > 350
    assert.deepEqual(batchesOf([100, 100, 100, 100, 300, 400], 8, 350), [[0, 1, 2], [3], [4], [5]]);
    // rows cap: 2 per batch
    assert.deepEqual(batchesOf([10, 10, 10], 2, 1000), [[0, 1], [2]]);
    // a single pair over the budget still gets its own batch
    assert.deepEqual(batchesOf([900], 8, 100), [[0]]);
    assert.deepEqual(batchesOf([], 8, 100), []);
  });

  it('cuts pairs to crossMaxLength, keeping the query whole', async () => {
    const encoder = await load({ crossMaxLength: 32 });
    const enc = encoder.encode(question, [passages(1)[0]!.repeat(20)])[0]!;
    assert.equal(enc.ids.length, 32);
    const scores = await encoder.score(question, [passages(1)[0]!.repeat(20)]);
    assert.ok(Number.isFinite(scores[0]));
  });

  it('loads int8 when preferred and present, fp32 otherwise; both score', async () => {
    const int8 = await load({ preferQuantized: true });
    const fp32 = await load({ preferQuantized: false });
    assert.match(int8.modelPath, /model_quantized\.onnx$/);
    assert.equal(int8.quantized, true);
    assert.match(fp32.modelPath, /model\.onnx$/);
    assert.equal(fp32.quantized, false);
    for (const e of [int8, fp32]) {
      const s = await e.score(question, passages(3));
      assert.equal(s.length, 3);
      assert.ok(s.every(Number.isFinite));
    }
  });

  it('a GPU provider that cannot start falls back to the CPU and says why', async () => {
    const encoder = await load({ executionProvider: 'cuda' });
    if (encoder.provider === 'cuda') {
      assert.equal(encoder.fallbackReason, null); // a machine with a working CUDA provider
    } else {
      assert.equal(encoder.provider, 'cpu');
      assert.match(encoder.fallbackReason ?? '', /cuda/);
    }
    assert.ok(Number.isFinite((await encoder.score(question, passages(1)))[0]));
  });

  it('readLogits takes [batch, 1] as is and the log-odds of the last class of [batch, C]', () => {
    assert.deepEqual(readLogits(Float32Array.from([0.5, -1]), 2, [2, 1]), [0.5, -1]);
    // [0, 2] is p = 0.88 relevant, [5, 3] p = 0.12: the raw last column (2 < 3) ranked them the wrong way round.
    const two = readLogits(Float32Array.from([0, 2, 5, 3]), 2, [2, 2]);
    assert.deepEqual(two, [2, -2]);
    assert.ok(two[0]! > two[1]!);
    const softmaxLast = (row: number[]) => Math.exp(row.at(-1)!) / row.reduce((s, x) => s + Math.exp(x), 0);
    const three = readLogits(Float32Array.from([1, 2, 0.5, -1, 0, 3]), 2, [2, 3]);
    [[1, 2, 0.5], [-1, 0, 3]].forEach((row, i) => {
      assert.ok(Math.abs(1 / (1 + Math.exp(-three[i]!)) - softmaxLast(row)) < 1e-6, `row ${i}: sigmoid(score) is p(last class)`);
    });
  });
});
