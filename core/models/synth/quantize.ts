// int8 dynamic quantisation in the form onnxruntime's quantize_dynamic writes: weights quantised once, per tensor,
// symmetric (zero point 0); activations quantised per call by DynamicQuantizeLinear (uint8, asymmetric).
//   x -> DynamicQuantizeLinear -> MatMulInteger(x_u8, W_i8, x_zp, 0) -> Cast float -> * (x_scale * w_scale) -> + b
import type { Linear } from './bert-weights.js';
import { ELEM } from './onnx-builder.js';
import type { LinearEmitter } from './bert-graph.js';

export interface QuantizedTensor {
  values: Int8Array;
  scale: number;
}

/** Symmetric per-tensor int8: scale = max|w| / 127, q = round(w / scale) in [-127, 127]. */
export function quantizeSymmetric(weights: Float32Array): QuantizedTensor {
  let maxAbs = 0;
  for (let i = 0; i < weights.length; i++) maxAbs = Math.max(maxAbs, Math.abs(weights[i]!));
  // The scale is stored as float32, so quantise against the value the graph will actually use.
  const scale = Math.fround(maxAbs > 0 ? maxAbs / 127 : 1);
  const values = new Int8Array(weights.length);
  for (let i = 0; i < weights.length; i++) values[i] = Math.max(-127, Math.min(127, Math.round(weights[i]! / scale)));
  return { values, scale };
}

export const int8Linear: LinearEmitter = (g, x, layer: Linear) => {
  const q = quantizeSymmetric(layer.weight);
  const w = g.initializer(`${layer.name}.weight_quantized`, q.values, [layer.inDim, layer.outDim]);
  const wScale = g.initializer(`${layer.name}.weight_scale`, Float32Array.of(q.scale), []);
  const wZero = g.initializer(`${layer.name}.weight_zero_point`, Int8Array.of(0), []);
  const b = g.initializer(`${layer.name}.bias`, layer.bias, [layer.outDim]);

  const [xq, xScale, xZero] = g.opN('DynamicQuantizeLinear', [x], 3) as [string, string, string];
  const product = g.op('Cast', [g.op('MatMulInteger', [xq, w, xZero, wZero])], { to: ELEM.float });
  const scale = g.op('Mul', [xScale, wScale]);
  return g.op('Add', [g.op('Mul', [product, scale]), b]);
};
