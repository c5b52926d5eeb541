// Random BERT weights, drawn in a fixed order from one seeded generator so a seed always gives the same model.
// BERT's own initialisation: normal(0, initializer_range) matrices, LayerNorm gamma 1 and beta 0. Biases get the same small
// noise rather than BERT's zeros, so a graph that drops or misplaces a bias changes the outputs.
import type { BertShape, SynthRole } from './presets.js';
import { mulberry32, normals, type Uniform } from './random.js';

/** A dense layer in ONNX MatMul layout: weight is [inDim, outDim] row-major. */
export interface Linear {
  name: string;
  inDim: number;
  outDim: number;
  weight: Float32Array;
  bias: Float32Array;
}

export interface LayerNorm {
  name: string;
  gamma: Float32Array;
  beta: Float32Array;
}

export interface EncoderLayer {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOutput: Linear;
  attentionNorm: LayerNorm;
  intermediate: Linear;
  output: Linear;
  outputNorm: LayerNorm;
}

export interface BertWeights {
  shape: BertShape;
  wordEmbeddings: Float32Array;
  positionEmbeddings: Float32Array;
  tokenTypeEmbeddings: Float32Array;
  embeddingsNorm: LayerNorm;
  layers: EncoderLayer[];
  /** Cross-encoder head only: first token -> pooler dense + tanh -> classifier to one logit. */
  pooler?: Linear;
  classifier?: Linear;
}

export function randomBertWeights(shape: BertShape, role: SynthRole, seed: number): BertWeights {
  const rng = mulberry32(seed);
  const { hidden: h, intermediate: i, initStd: std } = shape;
  const weights: BertWeights = {
    shape,
    wordEmbeddings: normals(shape.vocabSize * h, std, rng),
    positionEmbeddings: normals(shape.maxPositions * h, std, rng),
    tokenTypeEmbeddings: normals(shape.typeVocabSize * h, std, rng),
    embeddingsNorm: layerNorm('embeddings.LayerNorm', h),
    layers: [],
  };
  for (let l = 0; l < shape.layers; l++) {
    const p = `encoder.layer.${l}`;
    weights.layers.push({
      query: linear(std, `${p}.attention.self.query`, h, h, rng),
      key: linear(std, `${p}.attention.self.key`, h, h, rng),
      value: linear(std, `${p}.attention.self.value`, h, h, rng),
      attentionOutput: linear(std, `${p}.attention.output.dense`, h, h, rng),
      attentionNorm: layerNorm(`${p}.attention.output.LayerNorm`, h),
      intermediate: linear(std, `${p}.intermediate.dense`, h, i, rng),
      output: linear(std, `${p}.output.dense`, i, h, rng),
      outputNorm: layerNorm(`${p}.output.LayerNorm`, h),
    });
  }
  if (role === 'cross-encoder') {
    weights.pooler = linear(std, 'pooler.dense', h, h, rng);
    weights.classifier = linear(std, 'classifier', h, 1, rng);
  }
  return weights;
}

function linear(std: number, name: string, inDim: number, outDim: number, rng: Uniform): Linear {
  return { name, inDim, outDim, weight: normals(inDim * outDim, std, rng), bias: normals(outDim, std, rng) };
}

function layerNorm(name: string, size: number): LayerNorm {
  return { name, gamma: new Float32Array(size).fill(1), beta: new Float32Array(size) };
}
