// int8 in the form onnxruntime's quantize_dynamic writes it with the options the transformers.js conversion script
// uses for BERT-family models (the hub's model_quantized.onnx files): QInt8 weights, per_channel and reduce_range on,
// IntegerOps mode with MatMulConstBOnly. So:
//   - a MatMul on a weight: x -> DynamicQuantizeLinear (uint8, one per activation tensor, shared by the MatMuls that
//     read it) -> MatMulInteger(x_u8, W_i8, x_zp, W_zp) -> Cast float -> * (x_scale * W_scale) -> + bias as before;
//     W symmetric per output column in 7 bits ([-64, 64]: reduce_range), zero points 0;
//   - a Gather on a weight (the embedding tables): the table int8 per tensor, then DequantizeLinear;
//   - the attention MatMuls (no constant input) and the Gemm head stay fp32.
import type { Linear } from './bert-weights.js';
import type { WeightEmitter } from './bert-graph.js';
import { ELEM, type GraphBuilder } from './onnx-builder.js';

export interface QuantizedTensor {
  values: Int8Array;
  /** One scale per column (per-channel) or a single one (per-tensor). */
  scales: Float32Array;
}

/** ORT's symmetric int8 range: [-127, 127], or [-64, 64] with reduce_range. */
export const INT8_MAX = 127;
export const INT8_REDUCED_MAX = 64;

/**
 * Symmetric int8 of a row-major [rows, cols] matrix: per column when `perColumn` (ORT's per-channel axis 1 for
 * MatMul weights), else one scale; scale = max|w| / qmax, q = round(w / scale) clipped to [-qmax, qmax].
 */
export function quantizeSymmetric(weights: Float32Array, cols: number, perColumn: boolean, qmax: number): QuantizedTensor {
  const groups = perColumn ? cols : 1;
  const maxAbs = new Float64Array(groups);
  for (let i = 0; i < weights.length; i++) {
    const gi = perColumn ? i % cols : 0;
    maxAbs[gi] = Math.max(maxAbs[gi]!, Math.abs(weights[i]!));
  }
  // Scales are stored as float32, so quantise against the values the graph will actually use.
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
  const values = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const s = scales[perColumn ? i % cols : 0]!;
    values[i] = Math.max(-qmax, Math.min(qmax, Math.round(weights[i]! / s)));
  }
  return { values, scales };
}

/** A fresh int8 emitter per graph: it remembers which activations already have their DynamicQuantizeLinear. */
export function int8Weights(): WeightEmitter {
  const quantizedActivations = new Map<string, [string, string, string]>();
  const dynamicQuantize = (g: GraphBuilder, x: string): [string, string, string] => {
    let q = quantizedActivations.get(x);
    if (!q) {
      q = g.opN('DynamicQuantizeLinear', [x], 3, {}, [`${x}_quantized`, `${x}_scale`, `${x}_zero_point`]) as [string, string, string];
      quantizedActivations.set(x, q);
    }
    return q;
  };
  return {
    linear(g, x, layer: Linear) {
      const q = quantizeSymmetric(layer.weight, layer.outDim, true, INT8_REDUCED_MAX);
      const w = g.initializer(`${layer.name}.weight_quantized`, q.values, [layer.inDim, layer.outDim]);
      const wScale = g.initializer(`${layer.name}.weight_scale`, q.scales, [layer.outDim]);
      const wZero = g.initializer(`${layer.name}.weight_zero_point`, new Int8Array(layer.outDim), [layer.outDim]);
      const b = g.initializer(`${layer.name}.bias`, layer.bias, [layer.outDim]);
      const [xq, xScale, xZero] = dynamicQuantize(g, x);
      const product = g.op('Cast', [g.op('MatMulInteger', [xq, w, xZero, wZero])], { to: ELEM.float });
      return g.op('Add', [b, g.op('Mul', [product, g.op('Mul', [xScale, wScale])])]);
    },
    embedding(g, name, table, dims, indices) {
      const q = quantizeSymmetric(table, dims[1], false, INT8_MAX);
      const values = g.initializer(`${name}_quantized`, q.values, dims);
      const scale = g.initializer(`${name}_scale`, q.scales.subarray(0, 1), []);
      const zero = g.initializer(`${name}_zero_point`, new Int8Array(1), []);
      return g.op('DequantizeLinear', [g.op('Gather', [values, indices]), scale, zero]);
    },
  };
}
