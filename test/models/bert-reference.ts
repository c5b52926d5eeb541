// A plain-JS BERT forward pass (one unpadded sequence, float64) over the synthesiser's weights: the independent
// reference that shows the ONNX graph computes BERT and not just something with the right shapes.
import type { BertWeights, LayerNorm, Linear } from '../../core/models/synth/bert-weights.js';

type Matrix = number[][];

export function referenceHidden(w: BertWeights, ids: number[], typeIds: number[]): Matrix {
  const { hidden, heads } = w.shape;
  let x: Matrix = ids.map((id, t) => Array.from({ length: hidden }, (_, c) =>
    w.wordEmbeddings[id * hidden + c]! + w.positionEmbeddings[t * hidden + c]! + w.tokenTypeEmbeddings[typeIds[t]! * hidden + c]!));
  x = x.map((row) => layerNorm(row, w.embeddingsNorm));
  const d = hidden / heads;
  for (const layer of w.layers) {
    const q = dense(x, layer.query), k = dense(x, layer.key), v = dense(x, layer.value);
    const context: Matrix = x.map(() => new Array(hidden).fill(0));
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map((_, j) => dot(q[i]!, k[j]!, h * d, d) / Math.sqrt(d));
        const probs = softmax(scores);
        for (let j = 0; j < x.length; j++) for (let c = h * d; c < (h + 1) * d; c++) context[i]![c] += probs[j]! * v[j]![c]!;
      }
    }
    const attended = add(dense(context, layer.attentionOutput), x).map((row) => layerNorm(row, layer.attentionNorm));
    const inner = dense(attended, layer.intermediate).map((row) => row.map(gelu));
    x = add(dense(inner, layer.output), attended).map((row) => layerNorm(row, layer.outputNorm));
  }
  return x;
}

export function referenceLogit(w: BertWeights, ids: number[], typeIds: number[]): number {
  const first = referenceHidden(w, ids, typeIds)[0]!;
  const pooled = dense([first], w.pooler!)[0]!.map(Math.tanh);
  return dense([pooled], w.classifier!)[0]![0]!;
}

function dense(x: Matrix, l: Linear): Matrix {
  return x.map((row) => Array.from({ length: l.outDim }, (_, o) => {
    let s = l.bias[o]!;
    for (let i = 0; i < l.inDim; i++) s += row[i]! * l.weight[i * l.outDim + o]!;
    return s;
  }));
}

function layerNorm(row: number[], n: LayerNorm): number[] {
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
  return row.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-12)) * n.gamma[i]! + n.beta[i]!);
}

function add(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
}

function dot(a: number[], b: number[], from: number, count: number): number {
  let s = 0;
  for (let i = from; i < from + count; i++) s += a[i]! * b[i]!;
  return s;
}

function softmax(xs: number[]): number[] {
  const max = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** Exact GELU; erf by Abramowitz & Stegun 7.1.26 (error under 1.5e-7, far inside the test tolerance). */
function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

function erf(x: number): number {
  const sign = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return sign * y;
}
