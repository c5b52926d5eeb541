// The reranking stage: none | bi | cross | mixlm over the K retrieved candidates, with a per-question score cache
// so that re-fusing (alpha, normalisation, k) never touches the model and raising N scores only the new pairs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Candidate, ComponentState, RerankedCandidate, RerankParams, RetrieveResult, SearchResult, StageTiming,
} from '../contract/api.js';
import { CrossEncoder, emptyCrossStats, type CrossSettings } from './cross-encoder.js';
import { Lru } from './lru.js';
import { crossTargets, rankCandidates } from './ranking.js';
import { AppErrorException } from '../contract/app-error.js';
import { stageNote, withNotes } from '../contract/stage-notes.js';

export interface RerankRequest {
  queryId: string;
  question: string;
  retrieval: RetrieveResult;
  params: RerankParams;
}

export interface RerankerOptions {
  /** null when no cross-encoder could be loaded; crossState says why. */
  crossEncoder: CrossEncoder | null;
  crossState?: ComponentState;
  /** Searches (query ids) and questions whose scores are kept, each LRU; default 50. */
  cacheSize?: number;
  log?: (line: string) => void;
}

export interface OpenRerankerOptions {
  id: string;
  modelDir: string;
  settings: CrossSettings;
  cacheSize?: number;
  log?: (line: string) => void;
}

/** Thrown by refuse() for a query the cache no longer holds; carries what the UI shows. */
export class RerankError extends AppErrorException {}

interface QueryEntry {
  question: string;
  candidates: Candidate[];
  dense: ComponentState;
  params: RerankParams;
}

/** Cross logits of one question by chunk id; the text guards against a chunk id reused after re-indexing. */
type CrossCache = Map<number, { text: string; logit: number }>;

export class Reranker {
  readonly crossEncoder: CrossEncoder | null;
  private state: ComponentState;
  private readonly queries: Lru<string, QueryEntry>;
  private readonly crossScores: Lru<string, CrossCache>;
  private readonly log: (line: string) => void;

  constructor(opts: RerankerOptions) {
    this.crossEncoder = opts.crossEncoder;
    this.state = opts.crossState ?? (opts.crossEncoder ? { status: 'ok' } : missingCross('No cross-encoder was given.'));
    const size = opts.cacheSize ?? 50;
    // Each entry holds K candidate texts, so both maps stay at the same small bound.
    this.queries = new Lru(size);
    this.crossScores = new Lru(size);
    this.log = opts.log ?? (() => {});
  }

  /** Loads the cross-encoder from its folder; a missing or broken model gives a reranker that degrades, not a throw. */
  static async open(opts: OpenRerankerOptions): Promise<Reranker> {
    const base = { cacheSize: opts.cacheSize, log: opts.log };
    const onnxDir = join(opts.modelDir, 'onnx');
    if (!existsSync(join(onnxDir, 'model.onnx')) && !existsSync(join(onnxDir, 'model_quantized.onnx'))) {
      return new Reranker({ ...base, crossEncoder: null, crossState: missingCross(`No cross-encoder model "${opts.id}" in ${opts.modelDir}.`) });
    }
    try {
      const crossEncoder = await CrossEncoder.load(opts);
      return new Reranker({ ...base, crossEncoder });
    } catch (err) {
      opts.log?.(`rerank: cross-encoder ${opts.id} failed to load: ${String(err)}`);
      return new Reranker({ ...base, crossEncoder: null, crossState: unavailableCross(err) });
    }
  }

  get crossState(): ComponentState { return this.state; }

  async rerank(req: RerankRequest): Promise<SearchResult> {
    const candidates = [...req.retrieval.candidates].sort((a, b) => a.retrievalRank - b.retrievalRank);
    const entry: QueryEntry = { question: req.question, candidates, dense: req.retrieval.dense, params: req.params };
    this.queries.set(req.queryId, entry);
    return this.run(req.queryId, entry);
  }

  /** Same question, new parameters: fuses cached scores; only pairs newly inside the top N reach the model. */
  async refuse(queryId: string, params: Partial<RerankParams>): Promise<SearchResult> {
    const entry = this.queries.get(queryId);
    if (!entry) {
      throw new RerankError({ code: 'query-expired', message: 'That search is no longer in the rerank cache.', action: 'Run the search again.' });
    }
    entry.params = { ...entry.params, ...params };
    return this.run(queryId, entry);
  }

  async close(): Promise<void> {
    this.queries.clear();
    this.crossScores.clear();
    await this.crossEncoder?.close();
  }

  private async run(queryId: string, entry: QueryEntry): Promise<SearchResult> {
    const { question, candidates, params } = entry;
    const t0 = performance.now();
    const timings: StageTiming[] = [];

    const biStart = performance.now();
    const bi = candidates.map((c) => c.denseScore);
    const dense = denseState(entry.dense, bi);
    timings.push({ stage: 'bi', ms: performance.now() - biStart, startMs: biStart - t0, ...withNotes(stageNote(dense.status === 'ok' ? 'note-stored-vectors' : 'note-no-vectors')) });

    const crossStart = performance.now();
    const wanted = this.crossTargets(params, bi);
    const { logits, timing } = await this.crossLogits(question, candidates, wanted);
    timings.push({ ...timing, stage: 'cross', ms: performance.now() - crossStart, startMs: crossStart - t0 });

    const fusionStart = performance.now();
    const ranking = rankCandidates(params, bi, candidates.map((_, i) => logits.get(i) ?? null));
    const ranked = ranking.order.map((i, pos): RerankedCandidate => ({
      ...candidates[i]!,
      rankBefore: candidates[i]!.retrievalRank,
      rankAfter: pos + 1,
      biScore: bi[i] ?? null,
      crossScore: ranking.cross[i] ?? null,
      biNorm: ranking.fused[i]!.biNorm,
      crossNorm: ranking.fused[i]!.crossNorm,
      finalScore: params.mode === 'none' ? candidates[i]!.retrievalScore : ranking.fused[i]!.final,
      crossScored: ranking.cross[i] !== null,
    }));
    timings.push({ stage: 'fusion', ms: performance.now() - fusionStart, startMs: fusionStart - t0, ...withNotes(stageNote('note-fusion', { mode: params.mode, normalisation: params.normalisation })) });

    return {
      ...params, queryId, question, candidates: ranked, top: ranked.slice(0, Math.max(0, params.finalK)), timings,
      dense, cross: this.state, provider: this.crossEncoder?.provider ?? 'none',
    };
  }

  /** Candidate indices the setting cross-scores (the ranking rule's targets); none without a working model. */
  private crossTargets(params: RerankParams, bi: (number | null)[]): number[] {
    if (!this.crossEncoder || this.state.status !== 'ok') return [];
    return crossTargets(params, bi);
  }

  /** Logits for the wanted candidates, from the cache where possible; a failing model degrades to none. */
  private async crossLogits(question: string, candidates: Candidate[], wanted: number[]): Promise<{ logits: Map<number, number>; timing: Omit<StageTiming, 'stage' | 'ms'> }> {
    const logits = new Map<number, number>();
    const encoder = this.crossEncoder;
    if (!encoder || wanted.length === 0) {
      return { logits, timing: withNotes(stageNote(this.state.status === 'ok' ? 'note-skipped' : this.state.status === 'model-missing' ? 'note-model-missing' : 'note-unavailable')) };
    }
    let cache = this.crossScores.get(question);
    if (!cache) { cache = new Map(); this.crossScores.set(question, cache); }
    const fresh: number[] = [];
    for (const i of wanted) {
      const c = candidates[i]!;
      const hit = cache.get(c.chunkId);
      if (hit && hit.text === c.text) logits.set(i, hit.logit); else fresh.push(i);
    }
    const stats = emptyCrossStats();
    if (fresh.length) {
      try {
        const scores = await encoder.score(question, fresh.map((i) => candidates[i]!.text), stats);
        fresh.forEach((i, j) => {
          cache.set(candidates[i]!.chunkId, { text: candidates[i]!.text, logit: scores[j]! });
          logits.set(i, scores[j]!);
        });
      } catch (err) {
        this.log(`rerank: cross-encoder failed: ${String(err)}`);
        this.state = unavailableCross(err);
        return { logits: new Map(), timing: { ...withNotes(stageNote('note-cross-failed')), provider: encoder.provider, model: encoder.profile.id } };
      }
    }
    const note = stageNote(fresh.length === 0 ? 'note-cached' : 'note-scored-cached', fresh.length === 0 ? {} : { scored: fresh.length, cached: wanted.length - fresh.length });
    return { logits, timing: { provider: encoder.provider, model: encoder.profile.id, batches: stats.batches, tokens: stats.tokens, ...withNotes(note) } };
  }
}

function denseState(fromRetrieval: ComponentState, bi: (number | null)[]): ComponentState {
  if (fromRetrieval.status !== 'ok' || bi.length === 0 || bi.some((b) => b !== null)) return fromRetrieval;
  return {
    status: 'model-missing',
    error: { code: 'bi-scores-missing', message: 'These passages have no stored vectors, so the bi-encoder part keeps retrieval order.', action: 'Re-index with the embedder present.' },
  };
}

function missingCross(message: string): ComponentState {
  return { status: 'model-missing', error: { code: 'cross-encoder-missing', message: `${message} Reranking falls back to bi-encoder order.`, action: 'Get the cross-encoder in Library > Models.' } };
}

function unavailableCross(err: unknown): ComponentState {
  const detail = String(err instanceof Error ? err.message : err).split('\n')[0]!.slice(0, 200);
  return { status: 'unavailable', error: { code: 'cross-encoder-unavailable', message: `The cross-encoder could not run (${detail}); reranking falls back to bi-encoder order.`, action: 'Re-import or re-download the cross-encoder model.' } };
}
