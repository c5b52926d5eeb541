// npm run bench:query — retrieval latency (embed query + FAISS + BM25 + fuse, K=100) at 10k and 100k chunks.
// Chunk texts are real Cranfield sentences recombined; vectors are synthetic unit vectors (FAISS cost depends only
// on count and dimension). Goal: p50 <= 150 ms at 100k on 2 cores. Flags: --quick (10k only), --queries N.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { Embedder, normalise } from '../../core/embed/embedder.js';
import { retrieve } from '../../core/retrieve/retrieve.js';
import { openDb } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { storeVectors, VectorIndex } from '../../core/store/vector-index.js';
import { tempDir } from '../support/temp.js';
import { benchModels, cranfieldDocs, cranfieldQueries, percentile, round } from './corpus.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, queries: { type: 'string', default: '40' } } });
const sizes = values.quick ? [10_000] : [10_000, 100_000];

const { modelsDir } = await benchModels();
const settings = DEFAULT_SETTINGS;
const embedder = await Embedder.load({ id: settings.embedderModel, modelDir: join(modelsDir, settings.embedderModel), settings });
const sentences = cranfieldDocs().flatMap((d) => d.text.split(/(?<=\.)\s+/)).filter((s) => s.length > 20);
const questions = cranfieldQueries().slice(0, Number(values.queries));

let rng = 12345;
const rand = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const results: Record<string, unknown>[] = [];
for (const size of sizes) {
  const dir = tempDir('localrag-bench-query-');
  const db = openDb(dir);
  const perDoc = 100;
  for (let d = 0; d < size / perDoc; d++) {
    const chunks = Array.from({ length: perDoc }, () => {
      const text = Array.from({ length: 4 }, () => sentences[Math.floor(rand() * sentences.length)]).join(' ');
      return { text, charStart: 0, charEnd: text.length, page: null, headingPath: [], tokenCount: 64 };
    });
    const { added } = replaceDocument(db, { path: `/bench/doc${d}.txt`, folder: '/bench', hash: String(d), size: 1, mtimeMs: 1 }, chunks, 'bench');
    storeVectors(db, added, added.map(() => normalise(Float32Array.from({ length: embedder.dim }, () => rand() - 0.5))));
  }
  const buildStart = performance.now();
  const { index } = VectorIndex.open(db, dir, embedder.dim);
  const buildMs = performance.now() - buildStart;
  const deps = { db, embedder, vectors: index };
  for (const q of questions.slice(0, 3)) await retrieve(q, settings, deps); // warm-up
  const totals: number[] = [];
  const stages: Record<string, number[]> = {};
  for (const q of questions) {
    const r = await retrieve(q, settings, deps);
    totals.push(r.timings.reduce((s, t) => s + t.ms, 0));
    for (const t of r.timings) (stages[t.stage] ??= []).push(t.ms);
  }
  const row = {
    chunks: size, p50Ms: round(percentile(totals, 50)), p90Ms: round(percentile(totals, 90)), faissBuildMs: round(buildMs),
    stagesP50Ms: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(percentile(v, 50), 2)])),
  };
  console.log(`${size} chunks: p50 ${row.p50Ms} ms, p90 ${row.p90Ms} ms; per stage p50 ${JSON.stringify(row.stagesP50Ms)}`);
  results.push(row);
  db.close();
}
await embedder.close();
const largest = results.at(-1)! as { chunks: number; p50Ms: number };
const summary = {
  bench: 'query', k: settings.retrieveK, queries: questions.length, provider: embedder.provider, model: settings.embedderModel,
  sizes: results, ratioLargestToSmallest: round(largest.p50Ms / (results[0] as { p50Ms: number }).p50Ms, 2),
  goalP50Ms: 150, goalMet: largest.chunks >= 100_000 ? largest.p50Ms <= 150 : null,
};
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);

