// The BERT graph as a PyTorch export of Hugging Face's BertModel / BertForSequenceClassification writes it
// (torch.onnx at opset 14, what Optimum and the transformers.js conversion script emit for BERT, eager attention):
// the same node types, input orders and constant shapes, so ONNX Runtime finds the same fusions in it as in the
// models users download (core/models/synth/README.md compares the optimised graphs). Interface: int64 input_ids,
// attention_mask and token_type_ids [batch_size, sequence_length]; `last_hidden_state` for an embedder, `logits`
// [batch, 1] for a cross-encoder. How weights are emitted (fp32, or int8 as quantize_dynamic writes it) is the
// caller's choice.
import { ELEM, floatAttr, type GraphBuilder } from './onnx-builder.js';
import type { BertWeights, EncoderLayer, LayerNorm, Linear } from './bert-weights.js';
import type { SynthRole } from './presets.js';

/** How a variant emits its weights: dense layers on 3-D activations and embedding lookups. */
export interface WeightEmitter {
  /** `bias + x @ W` (torch's linear on a 3-D input: MatMul, then Add with the bias first); returns the output. */
  linear(g: GraphBuilder, x: string, layer: Linear): string;
  /** Gather of rows of a [rows, width] table. */
  embedding(g: GraphBuilder, name: string, table: Float32Array, dims: [number, number], indices: string): string;
}

export const LAYER_NORM_EPS = 1e-12;
/** torch.finfo(float32).min, which transformers adds to the scores of padded keys; exp() of it is exactly 0. */
export const MASK_NEGATIVE = -3.4028234663852886e38;
export const BATCH = 'batch_size';
export const SEQUENCE = 'sequence_length';

/** The fp32 variant: plain MatMul + Add and Gather. */
export const fp32Weights: WeightEmitter = {
  linear(g, x, layer) {
    const w = g.initializer(`${layer.name}.weight`, layer.weight, [layer.inDim, layer.outDim]);
    const b = g.initializer(`${layer.name}.bias`, layer.bias, [layer.outDim]);
    return g.op('Add', [b, g.op('MatMul', [x, w])]);
  },
  embedding(g, name, table, dims, indices) {
    return g.op('Gather', [g.initializer(name, table, dims), indices]);
  },
};

export function buildBertGraph(g: GraphBuilder, weights: BertWeights, role: SynthRole, emit: WeightEmitter): void {
  const { hidden } = weights.shape;
  const ids = g.input('input_ids', 'int64', [BATCH, SEQUENCE]);
  const mask = g.input('attention_mask', 'int64', [BATCH, SEQUENCE]);
  const types = g.input('token_type_ids', 'int64', [BATCH, SEQUENCE]);

  let x = embeddings(g, weights, ids, types, emit);
  const additiveMask = extendedMask(g, mask);
  weights.layers.forEach((layer) => { x = encoderLayer(g, weights, layer, x, additiveMask, emit); });

  if (role === 'embedder') {
    g.op('Identity', [x], {}, 'last_hidden_state');
    g.output('last_hidden_state', 'float', [BATCH, SEQUENCE, hidden]);
    return;
  }
  if (!weights.pooler || !weights.classifier) throw new Error('cross-encoder weights lack the pooler/classifier head');
  // hidden_states[:, 0], then nn.Linear on a 2-D input, which torch exports as Gemm (transB, weight [out, in]);
  // quantize_dynamic leaves Gemm in fp32.
  const first = g.op('Gather', [x, g.int64([0], [])], { axis: 1 });
  const pooled = g.op('Tanh', [gemm(g, first, weights.pooler)]);
  gemm(g, pooled, weights.classifier, 'logits');
  g.output('logits', 'float', [BATCH, 1]);
}

/** (word[input_ids] + token_type[token_type_ids]) + position[position_ids[:, :seq]], then LayerNorm. */
function embeddings(g: GraphBuilder, w: BertWeights, ids: string, types: string, emit: WeightEmitter): string {
  const { hidden, vocabSize, maxPositions, typeVocabSize } = w.shape;
  const word = emit.embedding(g, 'embeddings.word_embeddings.weight', w.wordEmbeddings, [vocabSize, hidden], ids);
  const tokenType = emit.embedding(g, 'embeddings.token_type_embeddings.weight', w.tokenTypeEmbeddings, [typeVocabSize, hidden], types);
  // The registered buffer position_ids [1, max_positions], sliced to the sequence length.
  const buffer = g.initializer('embeddings.position_ids', BigInt64Array.from({ length: maxPositions }, (_, i) => BigInt(i)), [1, maxPositions]);
  const seqLen = unsqueeze0(g, g.op('Gather', [g.op('Shape', [ids]), g.int64([1], [])], { axis: 0 }));
  const positionIds = g.op('Slice', [buffer, g.int64([0]), seqLen, g.int64([1]), g.int64([1])]);
  const position = emit.embedding(g, 'embeddings.position_embeddings.weight', w.positionEmbeddings, [maxPositions, hidden], positionIds);
  return layerNorm(g, g.op('Add', [g.op('Add', [word, tokenType]), position]), w.embeddingsNorm);
}

/** attention_mask[:, None, None, :] as float, then (1.0 - mask) * finfo.min. */
function extendedMask(g: GraphBuilder, mask: string): string {
  const expanded = g.op('Unsqueeze', [g.op('Unsqueeze', [mask, g.int64([1])]), g.int64([2])]);
  const asFloat = g.op('Cast', [expanded], { to: ELEM.float });
  return g.op('Mul', [g.op('Sub', [g.float(1), asFloat]), g.float(MASK_NEGATIVE)]);
}

function encoderLayer(g: GraphBuilder, w: BertWeights, layer: EncoderLayer, x: string, mask: string, emit: WeightEmitter): string {
  const { hidden, heads } = w.shape;
  const headDim = hidden / heads;
  // transpose_for_scores: x.view(x.size()[:-1] + (heads, head_dim)).permute(0, 2, 1, 3)
  const toHeads = (t: string) => g.op('Transpose', [g.op('Reshape', [t, dynamicShape(g, t, [heads, headDim])])], { perm: [0, 2, 1, 3] });

  const q = emit.linear(g, x, layer.query);
  const k = toHeads(emit.linear(g, x, layer.key));
  const v = toHeads(emit.linear(g, x, layer.value));
  const kT = g.op('Transpose', [k], { perm: [0, 1, 3, 2] }); // key_layer.transpose(-1, -2)

  const scores = g.op('Div', [g.op('MatMul', [toHeads(q), kT]), g.float(Math.fround(Math.sqrt(headDim)))]);
  const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { axis: -1 });
  const context = g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }); // [b, s, heads, d]
  const merged = g.op('Reshape', [context, dynamicShape(g, context, [hidden], 2)]);

  const attended = layerNorm(g, g.op('Add', [emit.linear(g, merged, layer.attentionOutput), x]), layer.attentionNorm);
  const inner = gelu(g, emit.linear(g, attended, layer.intermediate));
  return layerNorm(g, g.op('Add', [emit.linear(g, inner, layer.output), attended]), layer.outputNorm);
}

/** Concat(t.size(0), t.size(1), ...tail) as torch exports `t.size()[:keep] + tail` for a view. */
function dynamicShape(g: GraphBuilder, t: string, tail: number[], keep = 2): string {
  const dims = Array.from({ length: keep }, (_, i) => unsqueeze0(g, g.op('Gather', [g.op('Shape', [t]), g.int64([i], [])], { axis: 0 })));
  return g.op('Concat', [...dims, ...tail.map((d) => g.int64([d]))], { axis: 0 });
}

function unsqueeze0(g: GraphBuilder, scalar: string): string {
  return g.op('Unsqueeze', [scalar, g.int64([0])]);
}

/**
 * LayerNorm as torch exports it below opset 17 (no LayerNormalization op): (x - mean) / sqrt(var + eps) * gamma + beta;
 * ORT's LayerNormFusion turns it back into one LayerNormalization node.
 */
function layerNorm(g: GraphBuilder, x: string, norm: LayerNorm): string {
  const size = norm.gamma.length;
  const gamma = g.initializer(`${norm.name}.weight`, norm.gamma, [size]);
  const beta = g.initializer(`${norm.name}.bias`, norm.beta, [size]);
  const centred = g.op('Sub', [x, g.op('ReduceMean', [x], { axes: [-1], keepdims: 1 })]);
  const variance = g.op('ReduceMean', [g.op('Pow', [centred, g.float(2)])], { axes: [-1], keepdims: 1 });
  const normalised = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.float(Math.fround(LAYER_NORM_EPS))])])]);
  return g.op('Add', [g.op('Mul', [normalised, gamma]), beta]);
}

/** BERT's exact GELU as torch exports F.gelu: x * (erf(x / sqrt(2)) + 1) * 0.5. */
function gelu(g: GraphBuilder, x: string): string {
  const erf = g.op('Erf', [g.op('Div', [x, g.float(Math.fround(Math.SQRT2))])]);
  return g.op('Mul', [g.op('Mul', [x, g.op('Add', [erf, g.float(1)])]), g.float(0.5)]);
}

/** nn.Linear on a 2-D input: Gemm(x, W[out, in], b, transB=1), fp32 in both variants. */
function gemm(g: GraphBuilder, x: string, layer: Linear, out?: string): string {
  const w = g.initializer(`${layer.name}.weight`, transpose(layer.weight, layer.inDim, layer.outDim), [layer.outDim, layer.inDim]);
  const b = g.initializer(`${layer.name}.bias`, layer.bias, [layer.outDim]);
  return g.op('Gemm', [x, w, b], { alpha: floatAttr(1), beta: floatAttr(1), transB: 1 }, out);
}

/** [rows, cols] row-major -> [cols, rows]. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}
