// The status line of one loaded model's execution: what was asked, what runs it, and why not a GPU.
import type { ExecutionReport } from '../contract/api.js';
import type { OnnxSession } from './onnx-session.js';

export function executionReport(model: string, s: OnnxSession, requested: string, batchTokens?: number): ExecutionReport {
  return {
    model, file: s.modelPath, requested, provider: s.provider, fallbackReason: s.fallbackReason,
    ...(s.probeMs ? { probeMs: roundValues(s.probeMs) } : {}),
    placement: s.placement ?? null,
    ...(batchTokens !== undefined ? { batchTokens } : {}),
  };
}

function roundValues(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 10) / 10]));
}
