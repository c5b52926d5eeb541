// Runs a collection through an engine once per query, caching the scores, then computes the whole grid from the
// cache and writes report.json, report.csv and chart.svg. Written against EvalEngine so any engine can plug in.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalPhase, IndexProgress, Normalisation, RerankMode, RetrievalMode } from '../contract/api.js';
import { DEFAULT_SETTINGS } from '../contract/settings.js';
import type { CachedCandidate, QueryScores, StageCosts } from './cached-scores.js';
import { svgToPng } from './chart-png.js';
import { renderChartSvg, type ChartOptions } from './chart.js';
import { corpusFingerprint, EvalError, relevantCount, type Collection } from './collection.js';
import { ALL_MODES, computeGrid, DEFAULT_ALPHAS, DEFAULT_NS, type Setting } from './grid.js';
import { describeProvenance, type ModelRef } from './provenance.js';
import { buildReport, writeReport, type EvalRunReport } from './report.js';
import { MAP_DEPTH } from './metrics.js';
import { ScoreCache, type ScoringKey } from './score-cache.js';

export interface EngineScores {
  /**
   * The K retrieved chunks in any order (retrievalRank says it). docId: the collection's doc id (the engine stores it
   * as the document's file name); String(chunkId) for user labels.
   */
  candidates: CachedCandidate[];
  /** Doc ids of a retrieval `depth` deep, in retrieval order (documents beyond the K chunks for the metrics). */
  tail?: string[];
  timings: StageCosts;
}

/** What the scores depend on, from the engine that makes them. */
export interface EngineDescription {
  retrieval: RetrievalMode;
  /** The models, with the fingerprint of what was loaded (null when not installed). */
  models: ModelRef[];
  /** Settings that shape scores (K, fusion, BM25 k1/b, cross-encoder max length, chunking...). */
  settings: ScoringKey;
}

export interface EvalEngine {
  indexCollection(c: Collection, onProgress: (p: IndexProgress) => void): Promise<void>;
  describe(): Promise<EngineDescription>;
  /**
   * Retrieves k chunks, bi-scores them all and cross-scores the bi-top maxN (the ranking rule's mixlm targets);
   * with depth > k also returns the doc ids of a depth-deep retrieval as the tail.
   */
  scoreQuery(question: string, opts: { k: number; maxN: number; depth: number }): Promise<EngineScores>;
}

export interface EvalProgress {
  phase: Exclude<EvalPhase, 'error' | 'cancelled'>;
  done: number;
  total: number;
  queryId?: string;
  index?: IndexProgress;
}

export interface RunEvalOptions {
  collection: Collection;
  engine: EvalEngine;
  modes?: readonly RerankMode[];
  ns?: readonly number[];
  alphas?: readonly number[];
  normalisation?: Normalisation;
  /** Candidates retrieved per query (default 100). */
  k?: number;
  /** Documents per query the metrics may see, through the retrieval tail (default 1000, MAP's depth; 0: no tail). */
  depth?: number;
  outDir: string;
  /** JSONL of per-query scores (default outDir/scores.jsonl); a rerun skips the queries it holds. */
  resumeFile?: string;
  /** The user's setting, highlighted in the chart (default: the app's default settings). */
  current?: Setting;
  chart?: ChartOptions;
  /** Also write chart.png (resvg). */
  png?: boolean;
  onProgress?: (p: EvalProgress) => void;
  signal?: AbortSignal;
}

const DEFAULT_CURRENT: Setting = { mode: DEFAULT_SETTINGS.rerankMode, topN: DEFAULT_SETTINGS.topN, alpha: DEFAULT_SETTINGS.alpha };

function checkScores(queryId: string, question: string, s: EngineScores): QueryScores {
  if (!Array.isArray(s.candidates) || s.candidates.some((c) => typeof c.docId !== 'string' || !Number.isFinite(c.retrievalRank) || !Number.isFinite(c.chunkId))) {
    throw new EvalError('eval-bad-engine-output', `The engine returned malformed candidates for query ${queryId}.`,
      'This is a bug in the engine adapter: each candidate needs a numeric chunkId, a string docId and a numeric retrievalRank.');
  }
  const { retrieveMs, biMs, crossMs, crossPairs } = s.timings;
  return {
    queryId, question, candidates: s.candidates.map(({ chunkId, docId, retrievalRank, bi, cross }) => ({ chunkId, docId, retrievalRank, bi, cross })),
    ...(s.tail ? { tail: s.tail } : {}), timings: { retrieveMs, biMs, crossMs, crossPairs },
  };
}

/** Scores what is not cached yet, computes the grid, writes outDir/report.json, report.csv, chart.svg (and chart.png); returns the report. */
export async function runEval(opts: RunEvalOptions): Promise<EvalRunReport> {
  const { collection, engine } = opts;
  const progress = opts.onProgress ?? (() => {});
  const modes = opts.modes ?? ALL_MODES;
  const ns = opts.ns ?? DEFAULT_NS;
  const k = opts.k ?? 100;
  // Cross scores needed: the bi-top max(N) for mixlm, all K for cross (the reranker's cross mode scores them all).
  const maxN = Math.max(0, ...(modes.includes('mixlm') ? ns : []), modes.includes('cross') ? k : 0);
  const depth = opts.depth ?? MAP_DEPTH;
  // Queries without a relevant document are excluded from every mean, so they are not scored at all.
  const judged = collection.queries.filter((q) => relevantCount(collection.qrels.get(q.id)) > 0);
  // Means over no query would read as a score of 0, and replace the last report and score cache.
  if (judged.length === 0) {
    throw new EvalError('eval-no-judged-queries', `No question of ${collection.name} (${collection.queries.length} in all) has a relevant document.`,
      'Check the relevance judgements (qrels) name the queries and documents of this collection, with grades above 0.',
      { queries: collection.queries.length, collection: collection.name });
  }
  const described = await engine.describe();
  const scoring: ScoringKey = {
    retrieval: described.retrieval, ...described.settings,
    ...Object.fromEntries(described.models.map((m) => [`${m.role} ${m.id}`, m.fingerprint ?? null])),
    // A collection edited since (same name) is scored again, never answered from its old text.
    'collection documents': corpusFingerprint(collection.docs),
  };
  const cache = await ScoreCache.open(opts.resumeFile ?? join(opts.outDir, 'scores.jsonl'), { collection: collection.name, k, maxN, depth, scoring });
  const todo = judged.filter((q) => cache.get(q.id)?.question !== q.text);

  // A resumed run with nothing left to score does not need the index; user labels use the library's index.
  if (todo.length > 0 && collection.docs.length > 0) {
    await engine.indexCollection(collection, (p) => progress({ phase: 'indexing', done: p.chunksDone, total: p.chunksTotal, index: p }));
  }
  let done = judged.length - todo.length;
  progress({ phase: 'scoring', done, total: judged.length });
  for (const q of todo) {
    if (opts.signal?.aborted) {
      throw new EvalError('eval-cancelled', `Evaluation stopped after ${done} of ${judged.length} queries.`,
        'Run it again to continue: scored queries are kept.', { done, total: judged.length });
    }
    await cache.append(checkScores(q.id, q.text, await engine.scoreQuery(q.text, { k, maxN: cache.maxN, depth })));
    progress({ phase: 'scoring', done: ++done, total: judged.length, queryId: q.id });
  }

  progress({ phase: 'grid', done: 0, total: 1 });
  const normalisation = opts.normalisation ?? DEFAULT_SETTINGS.normalisation;
  const rows = judged.map((q) => cache.get(q.id)!);
  const grid = computeGrid(rows, collection.qrels, { modes, ns, alphas: opts.alphas ?? DEFAULT_ALPHAS, normalisation, maxN: cache.maxN });
  const report = buildReport({
    collection: collection.name, grid, provenance: describeProvenance(described.models), retrieval: described.retrieval,
    models: described.models, current: opts.current ?? DEFAULT_CURRENT, normalisation,
    excludedQueries: collection.queries.length - judged.length, k, depth,
    scoresReused: judged.length - todo.length, rescoredBecause: cache.rescoredBecause,
  });
  report.svg = renderChartSvg(report, opts.chart);
  await writeReport(report, opts.outDir);
  if (opts.png) await writeFile(join(opts.outDir, 'chart.png'), svgToPng(report.svg));
  progress({ phase: 'done', done: 1, total: 1 });
  return report;
}
