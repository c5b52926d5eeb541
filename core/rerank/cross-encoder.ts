// The cross-encoder: reads query and passage together and returns one relevance logit per pair. One ONNX session
// per model, reused; pairs sorted by length and batched so padding only reaches the longest pair of each batch.
import type { Settings } from '../contract/settings.js';
import { batchTokensFor, openSession, runBert, type OnnxSession } from '../embed/onnx-session.js';
import { SessionModel } from '../embed/session-model.js';
import { checkLogits } from '../embed/model-io.js';
import { profileFor, type ModelProfile } from '../embed/profiles.js';
import { loadTokenizer, padBatch, type Encoded, type TextTokenizer } from '../embed/tokenizer.js';
import { modelFingerprint } from '../models/fingerprint.js';
import { batchesOf } from '../embed/batches.js';

export { batchesOf };

export type CrossSettings = Pick<Settings, 'executionProvider' | 'preferQuantized' | 'crossBatchSize' | 'crossMaxLength'>;

export interface CrossEncoderOptions {
  id: string;
  modelDir: string;
  settings: CrossSettings;
  /** Padded tokens per batch at most (rows x longest); see DEFAULT_BATCH_TOKENS. */
  batchTokens?: number;
  /** Pairs per model call; default QUANTIZED_PAIRS_PER_CALL for int8, crossBatchSize for fp32 (benchmarks vary it). */
  pairsPerCall?: number;
  log?: (line: string) => void;
}

/**
 * Measured on 2 cores (AMD EPYC, AVX-512): 20 pairs of ~285 tokens take the same time in batches of 1 to 3 and
 * 1.3-1.7x longer in one batch of 20, whose [batch, heads, seq, seq] attention and [batch, seq, 1536] FFN
 * activations spill out of cache; short pairs do gain from batching (4-10 pairs of ~90 tokens). So a batch holds up
 * to crossBatchSize pairs but no more than this many padded tokens.
 */
export const DEFAULT_BATCH_TOKENS = 1024;

/**
 * int8 models score each pair in a call of its own. Their DynamicQuantizeLinear takes one activation scale over
 * the whole input tensor, so in a shared batch a pair's logit moved with its batch mates (up to 6.3e-3 between
 * batches of 100 and 5), and the evaluation grid and live search disagreed. Alone, a pair also carries no padding.
 * Per-row scales do not exist in ORT's integer MatMul kernels and static scales need calibration data per model, so
 * this is the cheapest deterministic form; `npm run bench:rerank` measures it against shared batches (per pair it
 * was as fast or faster for ~270-token pairs: the activations of one pair stay in cache).
 */
export const QUANTIZED_PAIRS_PER_CALL = 1;

/** Accumulated by score(): what the 'cross' stage timing reports. */
export interface CrossStats {
  ms: number;
  batches: number;
  tokens: number;
  /** Tokens fed including padding: tokens / paddedTokens is the batching efficiency. */
  paddedTokens: number;
  pairs: number;
}

export function emptyCrossStats(): CrossStats {
  return { ms: 0, batches: 0, tokens: 0, paddedTokens: 0, pairs: 0 };
}

export class CrossEncoder extends SessionModel {
  /** Pairs scored since load: lets callers (and tests) see that cached scores were not recomputed. */
  pairsScored = 0;
  /** Model calls (score / scoreEncoded) since load. */
  calls = 0;

  private constructor(
    readonly profile: ModelProfile,
    readonly tokenizer: TextTokenizer,
    onnx: OnnxSession,
    readonly maxLength: number,
    readonly batchSize: number,
    readonly batchTokens: number,
    private readonly pairsPerCallOverride: number | undefined,
    /** Hash of the weights, tokenizer and config actually loaded (core/models/fingerprint.ts). */
    readonly fingerprint: string,
  ) { super(onnx); }

  static async load(opts: CrossEncoderOptions): Promise<CrossEncoder> {
    const profile = profileFor(opts.id, opts.modelDir, 'cross-encoder');
    const tokenizer = await loadTokenizer(opts.modelDir);
    const maxLength = Math.min(opts.settings.crossMaxLength, profile.maxLength);
    // The probe (core/embed/onnx-session.ts): pairs of realistic lengths whose logits must be finite, one per pair.
    const batchOf = (n: number) => Array.from({ length: n }, (_, i) =>
      tokenizer.encodePair('probe question about lift', 'probe passage about drag '.repeat(2 + i * 8), maxLength));
    const probes = { timed: batchOf(4), quick: batchOf(1) };
    const onnx = await openSession({
      modelDir: opts.modelDir, preferQuantized: opts.settings.preferQuantized, setting: opts.settings.executionProvider, log: opts.log,
      probe: async (s, timed) => {
        const batch = padBatch(timed ? probes.timed : probes.quick, tokenizer.padId, s.sequenceLength);
        const result = await runBert(s, batch);
        checkLogits(result.logits ?? result[s.outputNames[0]!], batch.rows, s.modelPath, result);
      },
    });
    // The batch budget is the provider's (batchTokensFor) unless the caller measured its own.
    return new CrossEncoder(profile, tokenizer, onnx, maxLength, opts.settings.crossBatchSize, opts.batchTokens ?? batchTokensFor(onnx.provider), opts.pairsPerCall, modelFingerprint(opts.modelDir, onnx.modelPath));
  }

  /** Pairs per model call: one for int8 (see QUANTIZED_PAIRS_PER_CALL), else crossBatchSize. */
  get pairsPerCall(): number { return this.pairsPerCallOverride ?? (this.quantized ? QUANTIZED_PAIRS_PER_CALL : this.batchSize); }

  /** One logit per passage, in the order given. */
  async score(query: string, passages: string[], stats?: CrossStats): Promise<number[]> {
    const t0 = performance.now();
    const out = await this.scoreEncoded(this.encode(query, passages), stats);
    if (stats) stats.ms += performance.now() - t0;
    return out;
  }

  /** (query, passage) pairs tokenised and cut to maxLength, the query kept whole. */
  encode(query: string, passages: string[]): Encoded[] {
    return passages.map((p) => this.tokenizer.encodePair(query, p, this.maxLength));
  }

  /** Logits of pre-tokenised pairs, in the order given; sorted by length inside so batches pad little. */
  async scoreEncoded(encoded: Encoded[], stats?: CrossStats): Promise<number[]> {
    this.calls++;
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.ids.length - encoded[b]!.ids.length);
    const out = new Array<number>(encoded.length);
    for (const idx of batchesOf(order.map((i) => encoded[i]!.ids.length), this.pairsPerCall, this.batchTokens)) {
      const rows = idx.map((k) => order[k]!);
      const logits = await this.run(rows.map((i) => encoded[i]!), stats);
      rows.forEach((i, j) => { out[i] = logits[j]!; });
    }
    this.pairsScored += encoded.length;
    if (stats) stats.pairs += encoded.length;
    return out;
  }

  private async run(batch: Encoded[], stats?: CrossStats): Promise<number[]> {
    const padded = padBatch(batch, this.tokenizer.padId, this.onnx.sequenceLength);
    const { rows, cols, tokens } = padded;
    const result = await runBert(this.onnx, padded);
    const logits = (result.logits ?? result[this.onnx.outputNames[0]!])!;
    if (stats) { stats.batches++; stats.tokens += tokens; stats.paddedTokens += rows * cols; }
    return readLogits(logits.data as Float32Array, rows, logits.dims);
  }
}

/**
 * [batch, 1] logits as they are. A [batch, C] classifier's raw last column is not a relevance score: its softmax
 * depends on the other columns too ([0, 2] is 88 % relevant, [5, 3] 12 %, yet 3 > 2 would rank the second first).
 * So the score is the log-odds of the last ("relevant") class, last - logsumexp(others): l1 - l0 for the usual
 * two-label heads, whose sigmoid (the fusion's `sigmoid` normalisation) is the softmax probability.
 */
export function readLogits(data: Float32Array, rows: number, dims: readonly number[]): number[] {
  const width = dims.length > 1 ? dims[dims.length - 1]! : 1;
  return Array.from({ length: rows }, (_, r) => {
    const row = data.subarray(r * width, (r + 1) * width);
    const last = row[width - 1]!;
    if (width === 1) return last;
    const others = row.subarray(0, width - 1);
    const top = Math.max(...others);
    return last - (top + Math.log(others.reduce((s, x) => s + Math.exp(x - top), 0)));
  });
}
