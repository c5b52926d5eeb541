// The real engine behind the evaluation runner: a collection is written out as one text file per document, indexed
// into the engine's own store, and every query goes through the engine's own search (real retrieval, the real
// reranker's scoring). Candidates stay chunks, as live search ranks them; the grid collapses documents afterwards.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, isAbsolute } from 'node:path';
import type { IndexProgress } from '../contract/api.js';
import type { Settings } from '../contract/settings.js';
import type { Engine } from '../engine.js';
import { runEval, type Collection, type EngineDescription, type EngineScores, type EvalEngine, type EvalRunReport, type ModelRef, type RunEvalOptions } from '../eval/index.js';

/**
 * File names safe on every platform; the doc id is recovered from the name. A leading dot is escaped (the indexer
 * skips hidden files), and a name too long for a file system ends in a hash of the id (indexCollection maps it back).
 */
function fileFor(id: string): string {
  const name = encodeURIComponent(id).replace(/^\./, '%2E').replace(/\*/g, '%2A');
  return name.length <= 200 ? `${name}.txt` : `${name.slice(0, 180)}~${createHash('sha256').update(id).digest('hex').slice(0, 16)}.txt`;
}
const idOf = (path: string) => decodeURIComponent(basename(path, '.txt'));

/** Settings that shape the cached scores (the models' fingerprints are added by describe). */
const SCORING_SETTINGS = [
  'retrievalFusion', 'denseWeight', 'bm25K1', 'bm25B', 'crossMaxLength', 'crossBatchSize', 'chunkTokens', 'chunkOverlap',
  'preferQuantized',
] as const satisfies readonly (keyof Settings)[];

/**
 * corpusDir: where collection documents are written. A candidate from a file there is that document; any other
 * candidate (a user-labelled question over the library) is identified by its chunk id.
 */
export function engineForEval(engine: Engine, corpusDir: string): EvalEngine {
  const inCorpus = (path: string) => {
    const rel = relative(corpusDir, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const idByFile = new Map<string, string>();
  const docIdOf = (c: { path: string; chunkId: number }) => (inCorpus(c.path) ? idByFile.get(basename(c.path)) ?? idOf(c.path) : String(c.chunkId));
  const byRetrieval = <T extends { retrievalRank: number }>(cs: readonly T[]) => [...cs].sort((a, b) => a.retrievalRank - b.retrievalRank);

  return {
    async indexCollection(c: Collection, onProgress: (p: IndexProgress) => void): Promise<void> {
      mkdirSync(corpusDir, { recursive: true });
      // The folder holds exactly this collection: a file is rewritten only when its text changed (a rerun indexes
      // nothing), and a document the collection no longer has is removed. A repeated id keeps its first text.
      idByFile.clear();
      for (const d of c.docs) {
        const name = fileFor(d.id);
        if (idByFile.has(name)) continue;
        idByFile.set(name, d.id);
        const file = join(corpusDir, name);
        const text = d.title ? `${d.title}\n\n${d.text}\n` : `${d.text}\n`;
        if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
      }
      for (const name of readdirSync(corpusDir)) if (!idByFile.has(name)) rmSync(join(corpusDir, name), { recursive: true, force: true });
      const unsubscribe = engine.subscribe((event, payload) => { if (event === 'onIndexProgress') onProgress(payload as IndexProgress); });
      try { await engine.reindex({ path: corpusDir }); } finally { unsubscribe(); }
    },

    async describe(): Promise<EngineDescription> {
      const [s, status, prints] = await Promise.all([engine.getSettings(), engine.getStatus(), engine.modelFingerprints()]);
      const models = status.models.map((m): ModelRef => ({
        role: m.role, id: m.id, dir: m.present ? m.path : null, ...(m.provenance ? { provenance: m.provenance } : {}),
        fingerprint: m.role === 'embedder' ? prints.embedder : m.role === 'cross-encoder' ? prints.crossEncoder : null,
      }));
      return { retrieval: s.retrieval, models, settings: Object.fromEntries(SCORING_SETTINGS.map((k) => [k, s[k]])) };
    },

    async scoreQuery(question: string, opts: { k: number; maxN: number; depth: number }): Promise<EngineScores> {
      // mixlm with N = maxN cross-scores exactly the targets of every smaller N (the ranking rule's bi top N).
      const r = await engine.search({ question, retrieveK: opts.k, params: { mode: opts.maxN > 0 ? 'mixlm' : 'bi', topN: Math.max(1, opts.maxN) } });
      const ms = (stage: string) => r.timings.filter((t) => t.stage === stage).reduce((s, t) => s + t.ms, 0);
      const candidates = byRetrieval(r.candidates).map((c) => ({ chunkId: c.chunkId, docId: docIdOf(c), retrievalRank: c.retrievalRank, bi: c.biScore, cross: c.crossScore }));
      let tail: string[] | undefined;
      if (opts.depth > opts.k) {
        const deep = await engine.retrieveCandidates(question, opts.depth);
        tail = [...new Set(byRetrieval(deep).map(docIdOf))];
      }
      return {
        candidates, ...(tail ? { tail } : {}),
        timings: {
          retrieveMs: ms('embedQuery') + ms('faiss') + ms('bm25') + ms('fuse'), biMs: ms('bi'), crossMs: ms('cross'),
          crossPairs: r.candidates.filter((c) => c.crossScored).length,
        },
      };
    },
  };
}

export interface EvaluateOptions extends Omit<RunEvalOptions, 'collection' | 'engine'> {
  /** The app's engine: its settings are the ones evaluated, and its library answers labelled questions. */
  library: Engine;
  /** The app's store folder: a collection gets its own store below it (eval-index/<name>), never the library's. */
  storeDir: string;
  /** Opens an engine on another store with these settings for its lifetime (the collection's own index). */
  openEngine: (storeDir: string, settings: Partial<Settings>) => Promise<Engine>;
}

/** The one way the CLI and the app evaluate: a collection in its own store (one chunk per 512 tokens), labelled
 * questions against the library. */
export async function evaluateCollection(collection: Collection, opts: EvaluateOptions): Promise<EvalRunReport> {
  const { library, storeDir, openEngine, ...run } = opts;
  // The collection's store and its documents side by side: a folder inside a store is never indexed.
  const own = join(storeDir, 'eval-index', collection.name.replace(/[^\w.-]+/g, '_'));
  if (collection.docs.length === 0) return runEval({ ...run, collection, engine: engineForEval(library, join(own, 'corpus')) });
  const engine = await openEngine(join(own, 'store'), { ...(await library.getSettings()), chunkTokens: 512, chunkOverlap: 0 });
  try {
    return await runEval({ ...run, collection, engine: engineForEval(engine, join(own, 'corpus')) });
  } finally {
    await engine.close();
  }
}
