// What one file may cost to parse. Parsing runs in a worker thread (sandbox.ts) that is stopped at the time limit
// and dies at the heap ceiling; zips and PDFs also stop themselves early with a clear reason or note.
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './zip-budget.js';

export interface ParseBudget {
  /** Wall-clock time one parse may take before its worker is stopped ("took too long"). */
  timeoutMs: number;
  /** V8 heap ceiling of the parse worker, in MB ("needs more memory"). */
  maxHeapMb: number;
  /** Longer PDFs are indexed up to this page, with a note saying so. */
  maxPdfPages: number;
  /**
   * A PDF still being read after this share of the time limit keeps the pages read so far, with a note: its first
   * part is worth more than nothing, and stopping at page granularity loses no page half-way.
   */
  pdfSoftDeadlineShare: number;
  /** How much a .docx may unpack to. */
  unpack: UnpackLimits;
}

export const DEFAULT_PARSE_BUDGET: ParseBudget = {
  timeoutMs: 60_000,
  maxHeapMb: 768,
  maxPdfPages: 10_000,
  pdfSoftDeadlineShare: 0.75,
  unpack: DEFAULT_UNPACK_LIMITS,
};

export function parseBudget(partial: Partial<ParseBudget> = {}): ParseBudget {
  return { ...DEFAULT_PARSE_BUDGET, ...partial, unpack: { ...DEFAULT_PARSE_BUDGET.unpack, ...partial.unpack } };
}
