// The BERT graph with the interface Hugging Face's ONNX exports have: int64 input_ids, attention_mask and
// token_type_ids of shape [batch_size, sequence_length]; `last_hidden_state` for an embedder, `logits` [batch, 1]
// for a cross-encoder. How each dense layer is emitted (fp32 or int8) is the caller's choice.
import { ELEM, floatAttr, type GraphBuilder } from './onnx-builder.js';
import type { BertWeights, EncoderLayer, LayerNorm, Linear } from './bert-weights.js';
import type { SynthRole } from './presets.js';

/** Emits `x @ W + b` for one dense layer and returns the output's name. */
export type LinearEmitter = (g: GraphBuilder, x: string, layer: Linear) => string;

export const LAYER_NORM_EPS = 1e-12;
/** Added to the scores of padded keys: exp() of it underflows to exactly 0 next to real scores. */
export const MASK_NEGATIVE = -10000;
export const BATCH = 'batch_size';
export const SEQUENCE = 'sequence_length';

/** The plain fp32 dense layer: MatMul then Add. */
export const fp32Linear: LinearEmitter = (g, x, layer) => {
  const w = g.initializer(`${layer.name}.weight`, layer.weight, [layer.inDim, layer.outDim]);
  const b = g.initializer(`${layer.name}.bias`, layer.bias, [layer.outDim]);
  return g.op('Add', [g.op('MatMul', [x, w]), b]);
};

export function buildBertGraph(g: GraphBuilder, weights: BertWeights, role: SynthRole, linear: LinearEmitter): void {
  const { hidden } = weights.shape;
  const ids = g.input('input_ids', 'int64', [BATCH, SEQUENCE]);
  const mask = g.input('attention_mask', 'int64', [BATCH, SEQUENCE]);
  const types = g.input('token_type_ids', 'int64', [BATCH, SEQUENCE]);

  let x = embeddings(g, weights, ids, types);
  const additiveMask = extendedMask(g, mask);
  weights.layers.forEach((layer) => { x = encoderLayer(g, weights, layer, x, additiveMask, linear); });

  if (role === 'embedder') {
    g.op('Identity', [x], {}, 'last_hidden_state');
    g.output('last_hidden_state', 'float', [BATCH, SEQUENCE, hidden]);
    return;
  }
  if (!weights.pooler || !weights.classifier) throw new Error('cross-encoder weights lack the pooler/classifier head');
  const first = g.op('Gather', [x, g.int64([0], [])], { axis: 1 }); // [batch, hidden]: the [CLS] token
  const pooled = g.op('Tanh', [linear(g, first, weights.pooler)]);
  g.op('Identity', [linear(g, pooled, weights.classifier)], {}, 'logits');
  g.output('logits', 'float', [BATCH, 1]);
}

/** word[input_ids] + position[0..seq) + token_type[token_type_ids], then LayerNorm. */
function embeddings(g: GraphBuilder, w: BertWeights, ids: string, types: string): string {
  const { hidden, vocabSize, maxPositions, typeVocabSize } = w.shape;
  const word = g.op('Gather', [g.initializer('embeddings.word_embeddings.weight', w.wordEmbeddings, [vocabSize, hidden]), ids]);
  const seqLen = g.op('Gather', [g.op('Shape', [ids]), g.int64([1], [])]); // scalar sequence length
  const positionIds = g.op('Range', [g.int64([0], []), seqLen, g.int64([1], [])]);
  const position = g.op('Gather', [g.initializer('embeddings.position_embeddings.weight', w.positionEmbeddings, [maxPositions, hidden]), positionIds]);
  const tokenType = g.op('Gather', [g.initializer('embeddings.token_type_embeddings.weight', w.tokenTypeEmbeddings, [typeVocabSize, hidden]), types]);
  const sum = g.op('Add', [g.op('Add', [word, position]), tokenType]); // position [seq, hidden] broadcasts over batch
  return layerNorm(g, sum, w.embeddingsNorm);
}

/** attention_mask [b, s] -> (1 - mask) * large negative, as [b, 1, 1, s] to broadcast over heads and queries. */
function extendedMask(g: GraphBuilder, mask: string): string {
  const asFloat = g.op('Cast', [mask], { to: ELEM.float });
  const expanded = g.op('Unsqueeze', [asFloat, g.int64([1, 2])]);
  return g.op('Mul', [g.op('Sub', [g.float(1), expanded]), g.float(MASK_NEGATIVE)]);
}

function encoderLayer(g: GraphBuilder, w: BertWeights, layer: EncoderLayer, x: string, mask: string, linear: LinearEmitter): string {
  const { hidden, heads } = w.shape;
  const headDim = hidden / heads;
  const splitHeads = g.int64([0, 0, heads, headDim]); // 0 keeps batch and sequence as they are
  const toHeads = (t: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [t, splitHeads])], { perm });

  const q = toHeads(linear(g, x, layer.query), [0, 2, 1, 3]); // [b, heads, s, d]
  const kT = toHeads(linear(g, x, layer.key), [0, 2, 3, 1]); // [b, heads, d, s]
  const v = toHeads(linear(g, x, layer.value), [0, 2, 1, 3]); // [b, heads, s, d]

  const scores = g.op('Div', [g.op('MatMul', [q, kT]), g.float(Math.sqrt(headDim))]);
  const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 });
  const context = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }); // [b, s, heads, d]
  const merged = g.op('Reshape', [context, g.int64([0, 0, hidden])]);

  const attended = layerNorm(g, g.op('Add', [linear(g, merged, layer.attentionOutput), x]), layer.attentionNorm);
  const inner = gelu(g, linear(g, attended, layer.intermediate));
  return layerNorm(g, g.op('Add', [linear(g, inner, layer.output), attended]), layer.outputNorm);
}

function layerNorm(g: GraphBuilder, x: string, norm: LayerNorm): string {
  const size = norm.gamma.length;
  const gamma = g.initializer(`${norm.name}.weight`, norm.gamma, [size]);
  const beta = g.initializer(`${norm.name}.bias`, norm.beta, [size]);
  return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: floatAttr(LAYER_NORM_EPS) });
}

/** BERT's exact GELU, in the Erf form the Hugging Face exports use: 0.5 * x * (1 + erf(x / sqrt(2))). */
function gelu(g: GraphBuilder, x: string): string {
  const erf = g.op('Erf', [g.op('Div', [x, g.float(Math.SQRT2)])]);
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, g.float(1)])]), g.float(0.5)]);
}
