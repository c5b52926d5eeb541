// The bi-encoder's model side: token ids in, unit vectors out; int8 one passage per call, fp32 in batches padded
// only to their longest. No tokenizer here (core/embed/embedder.ts adds it), so the embedding thread, which gets
// token ids from the engine, loads the session without @huggingface/transformers (~45 MiB a thread).
import type { Settings } from '../contract/settings.js';
import { batchTokensFor, openSession, runBert, type OnnxSession } from './onnx-session.js';
import { SessionModel } from './session-model.js';
import { checkEmbeddingWidth, pickEmbeddingOutput } from './model-io.js';
import { profileFor, type ModelProfile } from './profiles.js';
import { padBatch, type Encoded } from './encoded.js';
import { modelFingerprint } from '../models/fingerprint.js';
import { batchesOf } from './batches.js';

/**
 * int8 models embed each passage in a call of its own, so a stored vector depends on the passage alone. Their
 * DynamicQuantizeLinear takes one activation scale over the whole input tensor: in a shared batch a passage's vector
 * moved with its batch mates (up to 5.0e-4 per component on the bench model, every passage of 24 changed), so a
 * resumed run, an incremental re-index or a different split between threads stored other vectors than a clean run.
 * Per-row scales do not exist in ORT's integer MatMul kernels and static scales need calibration data per model.
 * Measured interleaved in one process (2 shared cores at load 6-11, bench model = multilingual-e5-small's shape):
 * 256 Cranfield abstracts took 39.6 s one per call vs 48.3 s in the budgeted batches (CPU 17.4 vs 19.7 s); 256
 * passages of 40 words 3.8 vs 4.4 s (CPU 3.1 vs 2.9 s); `npm run bench:index` on its 1,864 chunks: 1.3x the
 * throughput, CPU 76.7 vs 92.8 s. fp32 batches are already batch-independent bit for bit (padding is masked
 * exactly: 24 of 24 abstracts equal alone and batched), and a GPU wants batches, so fp32 keeps embedBatchSize.
 */
export const QUANTIZED_PASSAGES_PER_CALL = 1;

export interface EmbedStats {
  ms: number;
  batches: number;
  tokens: number;
}

export interface PassageModelOptions {
  id: string;
  modelDir: string;
  settings: Pick<Settings, 'executionProvider' | 'preferQuantized' | 'embedBatchSize'>;
  /** Passages per model call; default QUANTIZED_PASSAGES_PER_CALL for int8, embedBatchSize for fp32 (benchmarks vary it). */
  passagesPerCall?: number;
  log?: (line: string) => void;
}

export interface PassageModelLoad extends PassageModelOptions {
  /** The tokenizer's pad id (padded positions are masked, so it changes no vector). */
  padId: number;
  /** n probe passages, tokenised; without a tokenizer, syntheticProbe. */
  probe: (n: number) => Encoded[];
}

/** Probe passages of growing length made of ids every vocabulary has (5..99), for a session without a tokenizer. */
export function syntheticProbe(maxLength: number): (n: number) => Encoded[] {
  return (n) => Array.from({ length: n }, (_, i) => {
    const ids = Array.from({ length: Math.min(maxLength, 12 + i * 40) }, (_, k) => 5 + (k % 95));
    return { ids, typeIds: new Array<number>(ids.length).fill(0) };
  });
}

export class PassageModel extends SessionModel {
  private constructor(
    readonly profile: ModelProfile,
    onnx: OnnxSession,
    readonly dim: number,
    private readonly padId: number,
    private readonly batchSize: number,
    private readonly passagesPerCallOverride: number | undefined,
    /** Hash of the weights, tokenizer and config actually loaded (core/models/fingerprint.ts). */
    readonly fingerprint: string,
  ) { super(onnx); }

  static async load(opts: PassageModelLoad): Promise<PassageModel> {
    const profile = profileFor(opts.id, opts.modelDir, 'embedder');
    // The probe: a batch of the sizes indexing sends (one short passage when not timed), whose outputs must be
    // usable vectors of the config's width.
    const probes = { timed: opts.probe(4), quick: opts.probe(1) };
    let dim = 0;
    const onnx = await openSession({
      modelDir: opts.modelDir, preferQuantized: opts.settings.preferQuantized, setting: opts.settings.executionProvider, log: opts.log,
      probe: async (s, timed) => {
        const result = await runBert(s, padBatch(timed ? probes.timed : probes.quick, opts.padId, s.sequenceLength));
        const out = pickEmbeddingOutput(result, s.outputNames, s.modelPath);
        dim = out.tensor.dims[out.tensor.dims.length - 1]!;
        checkEmbeddingWidth(dim, s.modelPath, result, out.name);
      },
    });
    const fingerprint = modelFingerprint(opts.modelDir, onnx.modelPath);
    return new PassageModel(profile, onnx, dim, opts.padId, opts.settings.embedBatchSize, opts.passagesPerCall, fingerprint);
  }

  /** Passages per model call: one for int8 (see QUANTIZED_PASSAGES_PER_CALL), else embedBatchSize. */
  get passagesPerCall(): number { return this.passagesPerCallOverride ?? (this.quantized ? QUANTIZED_PASSAGES_PER_CALL : this.batchSize); }
  /** Identifies the vectors this model makes: change it and stored vectors must be recomputed. */
  get key(): string { return `${this.profile.id}:${this.fingerprint}:${this.dim}:${this.profile.pooling}:${this.profile.passagePrefix}`; }

  /** One vector per tokenised passage, in the order given. */
  async embedEncoded(encoded: Encoded[], stats?: EmbedStats): Promise<Float32Array[]> {
    // Sorting by length keeps padding inside a batch small (fp32; int8 goes one per call, unpadded); results go back
    // to input order.
    const order = encoded.map((_, i) => i).sort((a, b) => encoded[a]!.ids.length - encoded[b]!.ids.length);
    const out = new Array<Float32Array>(encoded.length);
    const t0 = performance.now();
    // Batches are capped in padded tokens too (batchTokensFor: 1,024 on the CPU). Peak memory follows the largest
    // batch: its attention scores alone are rows x heads x length^2 floats (32 x 12 x 512^2 x 4 B = 400 MB at the old
    // fixed 32 rows), and ORT's arena keeps that peak for the session's life. Embedding 200 Cranfield abstracts (up
    // to 512 tokens) peaked at 1,424 MiB RSS with 32 rows; 802 / 541 / 461 MiB with 4,096 / 2,048 / 1,024 tokens per
    // batch, in about the same time. `npm run bench:index` prints indexing's peak RSS beside the raw embedder.
    for (const positions of batchesOf(order.map((i) => encoded[i]!.ids.length), this.passagesPerCall, batchTokensFor(this.onnx.provider))) {
      const idx = positions.map((k) => order[k]!);
      const vectors = await this.run(idx.map((i) => encoded[i]!));
      idx.forEach((i, j) => { out[i] = vectors[j]!; });
      if (stats) { stats.batches++; stats.tokens += idx.reduce((s, i) => s + encoded[i]!.ids.length, 0); }
    }
    if (stats) stats.ms += performance.now() - t0;
    return out;
  }

  private async run(batch: Encoded[]): Promise<Float32Array[]> {
    const padded = padBatch(batch, this.padId, this.onnx.sequenceLength);
    const { mask, rows, cols } = padded;
    const result = await runBert(this.onnx, padded);
    const out = pickEmbeddingOutput(result, this.onnx.outputNames, this.onnx.modelPath);
    const data = out.tensor.data as Float32Array;
    if (out.kind === 'tokens') return pool(data, mask, rows, cols, this.dim, this.profile);
    // Already pooled by the export: one row per text.
    return Array.from({ length: rows }, (_, r) => {
      const v = data.slice(r * this.dim, (r + 1) * this.dim);
      return this.profile.normalize ? normalise(v) : v;
    });
  }
}

/** Mean (mask-weighted) or CLS pooling, then optional L2 normalisation. */
export function pool(hidden: Float32Array, mask: BigInt64Array, rows: number, cols: number, dim: number, profile: Pick<ModelProfile, 'pooling' | 'normalize'>): Float32Array[] {
  const out: Float32Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float32Array(dim);
    if (profile.pooling === 'cls') {
      v.set(hidden.subarray(r * cols * dim, r * cols * dim + dim));
    } else {
      let n = 0;
      for (let c = 0; c < cols; c++) {
        if (mask[r * cols + c] === 0n) continue;
        n++;
        const base = (r * cols + c) * dim;
        for (let d = 0; d < dim; d++) v[d]! += hidden[base + d]!;
      }
      for (let d = 0; d < dim; d++) v[d]! /= Math.max(n, 1);
    }
    if (profile.normalize) normalise(v);
    out.push(v);
  }
  return out;
}

export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
