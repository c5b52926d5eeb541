// The bi-encoder: texts in, unit vectors out. The tokenizer is here; the session, batching and pooling are the
// passage model's (core/embed/passage-model.ts), which the embedding thread loads alone and feeds token ids.
import type { Settings } from '../contract/settings.js';
import type { OnnxSession } from './onnx-session.js';
import { profileFor, type ModelProfile } from './profiles.js';
import { loadTokenizer, type Encoded, type TextTokenizer } from './tokenizer.js';
import { PassageModel, type EmbedStats, type PassageModelOptions } from './passage-model.js';

export { dot, normalise, pool, QUANTIZED_PASSAGES_PER_CALL, type EmbedStats } from './passage-model.js';

export interface EmbedderOptions extends PassageModelOptions {
  settings: Pick<Settings, 'executionProvider' | 'preferQuantized' | 'embedBatchSize'>;
}

export class Embedder {
  private constructor(
    readonly tokenizer: TextTokenizer,
    /** The session side, shared with the embedding thread's way of embedding (token ids in). */
    readonly model: PassageModel,
  ) {}

  static async load(opts: EmbedderOptions): Promise<Embedder> {
    const tokenizer = await loadTokenizer(opts.modelDir);
    const profile = profileFor(opts.id, opts.modelDir, 'embedder');
    const probe = (n: number) => Array.from({ length: n }, (_, i) =>
      tokenizer.encode(profile.passagePrefix + 'probe passage about lift and drag '.repeat(2 + i * 6), profile.maxLength));
    return new Embedder(tokenizer, await PassageModel.load({ ...opts, padId: tokenizer.padId, probe }));
  }

  get profile(): ModelProfile { return this.model.profile; }
  get dim(): number { return this.model.dim; }
  /** Hash of the weights, tokenizer and config actually loaded (core/models/fingerprint.ts). */
  get fingerprint(): string { return this.model.fingerprint; }
  get provider(): string { return this.model.provider; }
  get fallbackReason(): string | null { return this.model.fallbackReason; }
  /** The session as it was chosen: probe times and node placement per provider. */
  get session(): OnnxSession { return this.model.session; }
  get modelPath(): string { return this.model.modelPath; }
  get quantized(): boolean { return this.model.quantized; }
  /** Passages per model call: one for int8 (see QUANTIZED_PASSAGES_PER_CALL), else embedBatchSize. */
  get passagesPerCall(): number { return this.model.passagesPerCall; }
  /** Identifies the vectors this embedder makes: change it and stored vectors must be recomputed. */
  get key(): string { return this.model.key; }
  /** Tokens the passage prefix adds, which count against the chunk budget. */
  get prefixTokens(): number { return this.profile.passagePrefix ? this.tokenizer.count(this.profile.passagePrefix) : 0; }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.model.embedEncoded([this.tokenizer.encode(this.profile.queryPrefix + text, this.profile.maxLength)]);
    return v!;
  }

  /** Passages with the passage prefix, tokenised and cut to the model's length. */
  encodePassages(texts: string[]): Encoded[] {
    return texts.map((t) => this.tokenizer.encode(this.profile.passagePrefix + t, this.profile.maxLength));
  }

  async embedPassages(texts: string[], stats?: EmbedStats): Promise<Float32Array[]> {
    return this.model.embedEncoded(this.encodePassages(texts), stats);
  }

  async close(): Promise<void> {
    await this.model.close();
  }
}
