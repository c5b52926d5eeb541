// ONNX Runtime session options chosen for speed and memory on a desktop CPU that other programs share.
// Each choice was measured with `npm run bench:rerank` / `npm run bench:index` (2 shared cores, AMD EPYC AVX-512 VNNI).
import type ort from 'onnxruntime-node';

/**
 * - allow_spinning 0: by default ORT's worker threads busy-wait between kernels. When anything else wants the
 *   cores (the UI, the indexer, another app) the spinning threads steal their time and each other's: 20 int8 pairs
 *   took 2.1-4.2 s spinning vs 0.7-1.3 s without on 2 cores at load average 11 (bench:rerank's ortDefaults variant:
 *   4.3x). On idle cores spinning can only save the threads' wake-up latency; no idle machine was at hand to
 *   measure how much.
 * - intra-op threads: ORT's default (one per physical core) measured as fast as any fixed count.
 * - graph optimisation 'all': the fusions (DynamicQuantizeMatMul, MatMulIntegerToFloat, BiasGelu, FusedMatMul,
 *   LayerNormalization) are where int8 gets its speed; core/models/synth/README.md lists what ORT fuses.
 */
export function cpuSessionOptions(): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}
