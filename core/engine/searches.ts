// A question through retrieval and reranking: the query is encoded once (retrieval's vector is the bi-encoder's),
// the cross-encoder session is created once, and re-fusing a past question reuses its cached scores.
import { randomUUID } from 'node:crypto';
import type { ComponentState, RefuseRequest, RerankParams, SearchRequest, SearchResult, StageTiming } from '../contract/api.js';
import { mergeSettings, type Settings } from '../contract/settings.js';
import { Reranker } from '../rerank/index.js';
import { crossLanguageNotice } from '../embed/language-coverage.js';
import { resolveModelDir, modelStatus, missingModelError } from '../models/index.js';
import { retrieve, type Retrieval } from '../retrieve/retrieve.js';
import type { Db } from '../store/db.js';
import { denseStatusOf, type ModelRuntime } from './runtime.js';
import { throwIfCancelled } from '../host/app-error.js';
import { stageNote, withNotes } from '../contract/stage-notes.js';

export class Searches {
  private reranker: Promise<Reranker> | null = null;

  constructor(
    private readonly db: Db,
    private readonly runtime: ModelRuntime,
    private readonly modelsDir: string,
    private readonly getSettings: () => Settings,
    private readonly log: (line: string) => void,
  ) {}

  private rerankerNow(): Promise<Reranker> {
    this.reranker ??= this.openReranker();
    return this.reranker;
  }

  private async openReranker(): Promise<Reranker> {
    const s = this.getSettings();
    if (!modelStatus(this.modelsDir, s.crossEncoderModel, 'cross-encoder').present) {
      return new Reranker({ crossEncoder: null, crossState: { status: 'model-missing', error: missingModelError(s.crossEncoderModel, 'cross-encoder') }, log: this.log });
    }
    return Reranker.open({ id: s.crossEncoderModel, modelDir: resolveModelDir(this.modelsDir, s.crossEncoderModel), settings: s, log: this.log });
  }

  /** Fingerprints of the loaded models (core/models/fingerprint.ts); null where a model is missing or failed. */
  async fingerprints(): Promise<{ embedder: string | null; crossEncoder: string | null }> {
    const dense = await this.runtime.denseRuntime();
    const reranker = await this.rerankerNow();
    return { embedder: dense.ok ? dense.value.embedder.fingerprint : null, crossEncoder: reranker.crossEncoder?.fingerprint ?? null };
  }

  async crossState(): Promise<ComponentState> {
    return (await this.rerankerNow()).crossState;
  }

  /** The loaded cross-encoder, if any (for where it runs). */
  async crossEncoder(): Promise<Reranker['crossEncoder']> {
    return (await this.rerankerNow()).crossEncoder;
  }

  /** Rerank parameters from settings, overridden per request, validated with the settings' own rules. */
  params(over: Partial<RerankParams> = {}): RerankParams {
    const s = mergeSettings(this.getSettings(), {
      ...(over.mode !== undefined && { rerankMode: over.mode }), ...(over.alpha !== undefined && { alpha: over.alpha }),
      ...(over.topN !== undefined && { topN: over.topN }), ...(over.finalK !== undefined && { finalK: over.finalK }),
      ...(over.normalisation !== undefined && { normalisation: over.normalisation }),
    });
    return { mode: s.rerankMode, alpha: s.alpha, topN: s.topN, finalK: s.finalK, normalisation: s.normalisation };
  }

  /** Retrieval alone (no reranking, nothing cached), with the settings' retrieval mode and fusion. */
  async retrieve(question: string, retrieveK?: number): Promise<Retrieval> {
    const s = this.getSettings();
    const k = retrieveK !== undefined ? mergeSettings(s, { retrieveK }).retrieveK : s.retrieveK;
    const dense = await this.runtime.denseRuntime();
    return retrieve(question, { ...s, retrieveK: k }, {
      db: this.db,
      embedder: dense.ok ? dense.value.embedder : null,
      vectors: dense.ok ? dense.value.vectors : null,
      denseUnavailable: dense.ok ? undefined : dense.error,
      denseStatus: dense.ok ? undefined : denseStatusOf(dense.error),
    });
  }

  /** A cancelled search stops between its stages (retrieval, reranking) with a 'cancelled' error. */
  async search(req: SearchRequest, signal?: AbortSignal): Promise<SearchResult> {
    const params = this.params(req.params);
    throwIfCancelled(signal, 'The search');
    const retrieval = await this.retrieve(req.question, req.retrieveK);
    throwIfCancelled(signal, 'The search');
    const reranker = await this.rerankerNow();
    const result = await reranker.rerank({ queryId: randomUUID(), question: req.question, retrieval, params });
    return withLanguageNotice(reranker, { ...result, timings: joinTimings(retrieval.timings, result.timings) });
  }

  async refuse(req: RefuseRequest): Promise<SearchResult> {
    const reranker = await this.rerankerNow();
    const over = this.params(req.params);
    // Only the fields asked for change; the rest keep the values of the original search.
    const picked = Object.fromEntries(Object.keys(req.params).map((k) => [k, over[k as keyof RerankParams]])) as Partial<RerankParams>;
    return withLanguageNotice(reranker, await reranker.refuse(req.queryId, picked));
  }

  async resetCross(): Promise<void> {
    const r = this.reranker;
    this.reranker = null;
    await (await r)?.close();
  }

  async close(): Promise<void> {
    await this.resetCross();
  }
}

/** Adds the cross-encoder language notice (language-coverage.ts) to the result and its 'cross' stage note. */
function withLanguageNotice(reranker: Reranker, result: SearchResult): SearchResult {
  const profile = reranker.crossEncoder?.profile;
  const scored = result.candidates.filter((c) => c.crossScored).map((c) => c.text);
  const notice = profile && scored.length ? crossLanguageNotice(profile, result.question, scored) : null;
  if (!notice) return result;
  const timings = result.timings.map((t) => (t.stage === 'cross' ? { ...t, ...withNotes(...(t.noteParts ?? []), stageNote('note-language-not-covered', { script: String(notice.params?.script ?? '') })) } : t));
  return { ...result, timings, crossLanguage: notice };
}

/** Puts later stages after earlier ones on one time axis for the waterfall. */
export function joinTimings(first: StageTiming[], then: StageTiming[]): StageTiming[] {
  const end = Math.max(0, ...first.map((t) => (t.startMs ?? 0) + t.ms));
  return [...first, ...then.map((t) => ({ ...t, startMs: end + (t.startMs ?? 0) }))];
}
