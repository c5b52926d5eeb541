// Shared by the rerank tests: the synthesised tiny models and K real Cranfield candidates whose bi scores are the
// cosines of the tiny embedder's real query and passage vectors (as retrieval would store them).
import { join } from 'node:path';
import type { Candidate, RerankParams, RetrieveResult } from '../../core/contract/api.js';
import { DEFAULT_SETTINGS, type Settings } from '../../core/contract/settings.js';
import { dot, Embedder } from '../../core/embed/embedder.js';
import { ensureSynthModels } from '../../core/models/synth/index.js';
import { cranfieldDocs } from '../bench/corpus.js';
import { projectRoot } from '../support/temp.js';

export const CROSS_ID = 'ms-marco-MiniLM-L-6-v2';

export async function tinyModels(): Promise<{ embedderDir: string; crossEncoderDir: string }> {
  return ensureSynthModels({ modelsDir: join(projectRoot, '.cache', 'test-models'), preset: 'tiny' });
}

export const testSettings: Settings = { ...DEFAULT_SETTINGS, executionProvider: 'cpu', crossBatchSize: 8, crossMaxLength: 128 };

/** Cranfield abstracts of varied length (the first `count` non-empty ones). */
export function passages(count: number): string[] {
  return cranfieldDocs().map((d) => d.text).filter((t) => t.length > 0).slice(0, count);
}

/** A retrieval result over `count` passages; `withVectors: false` gives null dense scores (no embedder). */
export async function retrievalFor(question: string, count: number, opts: { embedderDir: string; withVectors?: boolean }): Promise<RetrieveResult> {
  const texts = passages(count);
  let dense: (number | null)[] = texts.map(() => null);
  if (opts.withVectors !== false) {
    const embedder = await Embedder.load({ id: 'tiny-embedder', modelDir: opts.embedderDir, settings: testSettings });
    const q = await embedder.embedQuery(question);
    dense = (await embedder.embedPassages(texts)).map((v) => dot(q, v));
    await embedder.close();
  }
  const candidates = texts.map((text, i): Candidate => ({
    chunkId: 1000 + i, documentId: i + 1, path: `/corpus/cran${i + 1}.txt`, page: null, headingPath: [], charStart: 0, charEnd: text.length, text,
    denseScore: dense[i]!, denseRank: null, bm25Score: null, bm25Rank: null, retrievalScore: 1 / (61 + i), retrievalRank: i + 1,
  }));
  return {
    question, candidates, timings: [],
    dense: opts.withVectors === false ? { status: 'model-missing', error: { code: 'embedder-missing', message: 'No embedding model.', action: 'Get one.' } } : { status: 'ok' },
  };
}

export const params = (p: Partial<RerankParams> = {}): RerankParams => ({ mode: 'mixlm', alpha: 0.7, topN: 5, finalK: 3, normalisation: 'minmax', ...p });
