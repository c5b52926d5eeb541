// The per-stage timing table printed after search and ask.
import type { StageTiming } from '../contract/api.js';

export function printTimings(timings: StageTiming[], out: (line: string) => void = (l) => console.log(l)): void {
  out('stage           ms        provider  model / note');
  for (const t of timings) {
    const detail = [t.model, t.batches !== undefined ? `${t.batches} batches` : '', t.tokens !== undefined ? `${t.tokens} tokens` : '', t.note].filter(Boolean).join(', ');
    out(`${t.stage.padEnd(14)} ${t.ms.toFixed(1).padStart(9)}  ${(t.provider ?? '').padEnd(8)}  ${detail}`);
  }
}
