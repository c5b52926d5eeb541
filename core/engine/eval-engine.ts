// The real engine behind the evaluation runner: a collection is written out as one text file per document, indexed
// into the engine's own store, and every query goes through real retrieval and the real reranker's scoring.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { IndexProgress } from '../contract/api.js';
import type { Engine } from '../engine.js';
import type { Collection, EngineScores, EvalEngine } from '../eval/index.js';

/** File names safe on every platform; the doc id is recovered from the name. */
const fileFor = (id: string) => `${encodeURIComponent(id)}.txt`;
const idOf = (path: string) => decodeURIComponent(basename(path, '.txt'));

export function engineForEval(engine: Engine, corpusDir: string): EvalEngine {
  return {
    async indexCollection(c: Collection, onProgress: (p: IndexProgress) => void): Promise<void> {
      mkdirSync(corpusDir, { recursive: true });
      for (const d of c.docs) {
        const file = join(corpusDir, fileFor(d.id));
        if (!existsSync(file)) writeFileSync(file, d.title ? `${d.title}\n\n${d.text}\n` : `${d.text}\n`);
      }
      const unsubscribe = engine.subscribe((event, payload) => { if (event === 'onIndexProgress') onProgress(payload as IndexProgress); });
      try { await engine.reindex({ path: corpusDir }); } finally { unsubscribe(); }
    },

    async scoreQuery(question: string, opts: { k: number; maxN: number }): Promise<EngineScores> {
      const r = await engine.search({ question, retrieveK: opts.k, params: { mode: opts.maxN > 0 ? 'mixlm' : 'bi', topN: Math.max(1, opts.maxN) } });
      const ms = (stage: string) => r.timings.filter((t) => t.stage === stage).reduce((s, t) => s + t.ms, 0);
      // A document may span several chunks: it counts once, at its best retrieval rank, with that chunk's scores.
      const seen = new Set<string>();
      const candidates = [...r.candidates].sort((a, b) => a.retrievalRank - b.retrievalRank).flatMap((c) => {
        const docId = idOf(c.path);
        if (seen.has(docId)) return [];
        seen.add(docId);
        return [{ docId, retrievalRank: seen.size, bi: c.biScore, cross: c.crossScore }];
      });
      return {
        candidates,
        timings: {
          retrieveMs: ms('embedQuery') + ms('faiss') + ms('bm25') + ms('fuse'), biMs: ms('bi'), crossMs: ms('cross'),
          crossPairs: r.candidates.filter((c) => c.crossScored).length,
        },
      };
    },
  };
}
