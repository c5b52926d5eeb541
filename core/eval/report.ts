// Evaluation reports as JSON and CSV. Model provenance is part of every report, and a synthesised model makes the
// report say plainly which numbers mean nothing.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalPoint, EvalReport, Normalisation, RetrievalMode } from '../contract/api.js';
import { LATENCY_BASIS, settingKey, type GridResult, type Setting } from './grid.js';
import { MAP_DEPTH } from './metrics.js';
import { synthesisedWarning, type ModelRef, type ProvenanceInfo } from './provenance.js';

/** The contract's EvalReport plus what a reader needs to trust it. */
export interface EvalRunReport extends EvalReport {
  createdAt: string;
  /** How p50Ms was obtained: always estimated from measured per-stage and per-pair costs. */
  latencyBasis: typeof LATENCY_BASIS;
  normalisation: Normalisation;
  /** Collection queries without any relevant document, left out of every mean. */
  excludedQueries: number;
  skipped: GridResult['skipped'];
  synthesisedModels: string[];
  /** Chunks retrieved and reranked per query. */
  k: number;
  /** Documents per query the metrics could see (the reranked chunks collapsed, then the retrieval tail). */
  depth: number;
  /** MAP is average precision over the first mapDepth documents (trec_eval's run depth). */
  mapDepth: number;
  /** Queries whose scores came from the cache. */
  scoresReused: number;
  /** Why cached scores were thrown away and rescored (other models or settings), or null. */
  rescoredBecause: string | null;
}

export interface BuildReportInput {
  collection: string;
  grid: GridResult;
  provenance: ProvenanceInfo;
  current: Setting;
  normalisation: Normalisation;
  excludedQueries?: number;
  createdAt?: Date;
  retrieval?: RetrievalMode;
  models?: readonly ModelRef[];
  k?: number;
  depth?: number;
  scoresReused?: number;
  rescoredBecause?: string | null;
}

export function buildReport(input: BuildReportInput): EvalRunReport {
  const notes = [
    ...[synthesisedWarning(input.provenance, input.retrieval)].filter((w): w is string => w !== null),
    ...input.grid.skipped.map((s) => `Mode ${s.mode} was not evaluated: ${s.reason}.`),
  ];
  return {
    collection: input.collection,
    queries: input.grid.queries,
    provenance: input.provenance.lines,
    ...(notes.length ? { warning: notes.join(' ') } : {}),
    points: input.grid.points,
    current: { mode: input.current.mode, topN: input.current.topN, alpha: input.current.alpha },
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    latencyBasis: LATENCY_BASIS,
    normalisation: input.normalisation,
    excludedQueries: input.excludedQueries ?? 0,
    skipped: input.grid.skipped,
    synthesisedModels: input.provenance.synthesised,
    ...(input.retrieval ? { retrieval: input.retrieval } : {}),
    models: (input.models ?? []).map((m) => ({ role: m.role, id: m.id, fingerprint: m.fingerprint ?? null, dir: m.dir ?? null })),
    k: input.k ?? 0,
    depth: input.depth ?? 0,
    mapDepth: MAP_DEPTH,
    scoresReused: input.scoresReused ?? 0,
    rescoredBecause: input.rescoredBecause ?? null,
  };
}

export function isCurrentPoint(report: EvalReport, p: EvalPoint): boolean {
  return settingKey(p) === settingKey(report.current);
}

export function reportToJson(report: EvalReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const csvCell = (v: string | number | boolean): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV with '#' comment lines first (collection, provenance, warning), then one row per setting. */
export function reportToCsv(report: EvalReport): string {
  const comments = [
    `collection: ${report.collection}; queries: ${report.queries}${report.retrieval ? `; retrieval: ${report.retrieval}` : ''}`,
    ...report.provenance.map((p) => `model: ${p}`),
    `map: average precision over the first ${MAP_DEPTH} documents (trec_eval's depth)`,
    ...(report.warning ? [`WARNING: ${report.warning}`] : []),
    `latency: p50 ${LATENCY_BASIS}`,
  ].map((c) => `# ${c.replace(/\n/g, ' ')}`);
  const header = ['mode', 'topN', 'alpha', 'ndcg10', 'mrr10', 'recall100', 'map', 'p50Ms_estimated', 'pareto', 'current'];
  const rows = report.points.map((p) => [
    p.mode, p.topN, p.alpha.toFixed(2), p.ndcg10.toFixed(4), p.mrr10.toFixed(4), p.recall100.toFixed(4),
    p.map.toFixed(4), p.p50Ms.toFixed(2), p.pareto, isCurrentPoint(report, p),
  ].map(csvCell).join(','));
  return [...comments, header.join(','), ...rows].join('\n') + '\n';
}

export interface WrittenReport {
  json: string;
  csv: string;
  svg?: string;
}

/** Writes report.json and report.csv (and chart.svg when the report carries one) into outDir. */
export async function writeReport(report: EvalReport, outDir: string): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  const out: WrittenReport = { json: join(outDir, 'report.json'), csv: join(outDir, 'report.csv') };
  await writeFile(out.json, reportToJson(report));
  await writeFile(out.csv, reportToCsv(report));
  if (report.svg) await writeFile((out.svg = join(outDir, 'chart.svg')), report.svg);
  return out;
}
