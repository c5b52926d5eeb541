// The named model shapes the synthesiser can build. Sizes copy the real models; only the weights are random.

export type SynthRole = 'embedder' | 'cross-encoder';
export type PresetName = 'tiny' | 'e5-small' | 'minilm-l6' | 'minilm-l4' | 'minilm-l2' | 'tinybert-l2';

export interface BertShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
  typeVocabSize: number;
  /** Std of the random normal weights (BERT's initializer_range). */
  initStd: number;
}

export type PresetShape = Pick<BertShape, 'layers' | 'hidden' | 'heads' | 'intermediate' | 'initStd'>;

export const PRESETS: Record<PresetName, PresetShape> = {
  /**
   * For tests: generates and runs in milliseconds. At BERT's 0.02 a 32-wide model is almost blind to its input
   * (every dot product sums 12x fewer terms than at 384), so scores would differ by ~1e-5 between texts; 0.1 gives
   * the tiny model input-dependent outputs of the same order as the 384-wide presets at 0.02.
   */
  tiny: { layers: 2, hidden: 32, heads: 2, intermediate: 64, initStd: 0.1 },
  /** intfloat/multilingual-e5-small's encoder (its real vocabulary is 250k; ours is the BERT tokenizer's). */
  'e5-small': { layers: 12, hidden: 384, heads: 12, intermediate: 1536, initStd: 0.02 },
  /** cross-encoder/ms-marco-MiniLM-L-6-v2. */
  'minilm-l6': { layers: 6, hidden: 384, heads: 12, intermediate: 1536, initStd: 0.02 },
  /** The smaller cross-encoders of the same family, for their speed (bench:rerank). */
  'minilm-l4': { layers: 4, hidden: 384, heads: 12, intermediate: 1536, initStd: 0.02 },
  'minilm-l2': { layers: 2, hidden: 384, heads: 12, intermediate: 1536, initStd: 0.02 },
  'tinybert-l2': { layers: 2, hidden: 312, heads: 12, intermediate: 1200, initStd: 0.02 },
};

/** BERT's fixed sizes that no preset changes. */
export const MAX_POSITIONS = 512;
export const TYPE_VOCAB_SIZE = 2;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

export function bertShape(preset: PresetName, vocabSize: number): BertShape {
  const p = PRESETS[preset];
  if (p.hidden % p.heads !== 0) throw new Error(`preset ${preset}: hidden ${p.hidden} not divisible by ${p.heads} heads`);
  return { ...p, vocabSize, maxPositions: MAX_POSITIONS, typeVocabSize: TYPE_VOCAB_SIZE };
}
