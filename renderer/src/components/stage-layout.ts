// Where each stage of a question sits in time, for the latency charts (plain functions, tested without a browser).
import type { StageName, StageTiming } from '../../../core/contract/api.js';
import { STAGE_ORDER } from './stage-order.js';

export interface Bar { stage: StageName; timing: StageTiming | null; start: number }

/** Latest timing per stage in pipeline order; stages without startMs follow the one before. */
export function layoutStages(timings: StageTiming[]): Bar[] {
  const latest = new Map<StageName, StageTiming>();
  for (const t of timings) latest.set(t.stage, t);
  let cursor = 0;
  return STAGE_ORDER.map((stage) => {
    const timing = latest.get(stage) ?? null;
    const start = timing?.startMs ?? cursor;
    if (timing && stage !== 'llmFirstToken') cursor = Math.max(cursor, start + timing.ms);
    return { stage, timing, start };
  });
}

export function totalMs(timings: StageTiming[]): number {
  return layoutStages(timings).reduce((m, b) => Math.max(m, b.timing ? b.start + b.timing.ms : 0), 0);
}

export const PHASES = ['retrieval', 'rerank', 'answer'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_OF: Record<StageName, Phase> = {
  rewrite: 'retrieval', embedQuery: 'retrieval', faiss: 'retrieval', bm25: 'retrieval', fuse: 'retrieval',
  bi: 'rerank', cross: 'rerank', fusion: 'rerank', prompt: 'answer', llmFirstToken: 'answer', llmTotal: 'answer',
};

/** Wall time of each phase: from where the previous phase ended to where this one ends (parallel stages overlap). */
export function phaseSpans(timings: StageTiming[]): Record<Phase, number> {
  const ends: Record<Phase, number> = { retrieval: 0, rerank: 0, answer: 0 };
  for (const b of layoutStages(timings)) if (b.timing) ends[PHASE_OF[b.stage]] = Math.max(ends[PHASE_OF[b.stage]], b.start + b.timing.ms);
  const rerankEnd = Math.max(ends.retrieval, ends.rerank);
  const answerEnd = Math.max(rerankEnd, ends.answer);
  return { retrieval: ends.retrieval, rerank: rerankEnd - ends.retrieval, answer: answerEnd - rerankEnd };
}

export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
