// npm run bench:query [-- --chunks 1000000] — retrieval latency (embed query + dense top-K + BM25 + fuse, K=100),
// Recall@100 of the dense index against exact search, and peak RSS, at 10k, 100k and (with --chunks) up to 1M chunks.
//
// Nothing is embedded or shipped in bulk: chunk texts are real Cranfield sentences recombined, and vectors are
// generated directly with the structure of a corpus (1,000 topics; documents of 100 chunks around a topic; chunks
// around their document; cosine ~0.5 within a document, ~0.3 within a topic, ~0 +- 0.05 across, so a question's
// exact top 100 mixes its document's chunks with its topic's and the tail of the rest), because FAISS/HNSW cost and
// HNSW recall depend on that structure, not on the words. Questions are Cranfield queries: the model encodes each
// one (that time is real) and the dense search then uses a generated question vector near a random document, so the
// recall figure is for questions that resemble the collection, as real ones do.
//
// Each size runs in two child processes, like a user's: `build` writes the store and its index (flat below
// HNSW_FROM vectors, HNSW above), `query` opens it as `search`/`serve` would and measures. Peak RSS is per process.
// Flags: --chunks N (largest size; the ladder 10k, 100k, 1M is cut at N), --sizes a,b (exactly these), --quick (10k
// only), --queries N.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import usearch, { type Matches } from 'usearch';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { Embedder, normalise } from '../../core/embed/embedder.js';
import { retrieve } from '../../core/retrieve/retrieve.js';
import { openDb } from '../../core/store/db.js';
import { replaceDocument } from '../../core/store/documents.js';
import { HNSW_FROM, readVectors, storeVectors, VectorIndex } from '../../core/store/vector-index.js';
import { EXPANSION_SEARCH, HnswBackend, HNSW_FILE } from '../../core/store/hnsw-index.js';
import { fillNormal, mulberry32 } from '../../core/models/synth/random.js';
import { tempDir } from '../support/temp.js';
import { benchModels, cranfieldDocs, cranfieldQueries, percentile, round } from './corpus.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false }, queries: { type: 'string', default: '40' }, chunks: { type: 'string' },
    role: { type: 'string' }, dir: { type: 'string' }, size: { type: 'string' }, sizes: { type: 'string' },
  },
});

const PER_DOC = 100;
const TOPICS = 1000;
const K = DEFAULT_SETTINGS.retrieveK;
const DIM_SEED = 0x5eed;

/** Seeded, so the build and query processes regenerate the same vectors. */
const rng = mulberry32;
const gaussianUnit = (dim: number, r: () => number) => normalise(fillNormal(new Float32Array(dim), 1, r));

const mix = (a: Float32Array, b: Float32Array, w: number) => normalise(a.map((x, i) => x + w * b[i]!));
const topicOf = (doc: number) => Math.floor(rng(doc * 7919 + DIM_SEED)() * TOPICS);
const topicVector = (dim: number, t: number) => gaussianUnit(dim, rng(t + 1_000_003));
const docVector = (dim: number, d: number) => mix(topicVector(dim, topicOf(d)), gaussianUnit(dim, rng(d * 2 + 7_000_001)), 0.8);
/** A chunk (or a question) is its document's vector plus as much noise again. */
const CHUNK_NOISE = 1.0;
const questionVector = (dim: number, q: number, docs: number) => {
  const r = rng(q * 31 + 11);
  return mix(docVector(dim, Math.floor(r() * docs)), gaussianUnit(dim, r), CHUNK_NOISE);
};

const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 0);

/** Child: writes `size` chunks (text + FTS5 + vectors) and the dense index, as an index run would leave them. */
async function build(dir: string, size: number, dim: number): Promise<Record<string, number | string>> {
  const sentences = cranfieldDocs().flatMap((d) => d.text.split(/(?<=\.)\s+/)).filter((s) => s.length > 20);
  const db = openDb(dir);
  const r = rng(12345);
  const t0 = performance.now();
  for (let d = 0; d < size / PER_DOC; d++) {
    const chunks = Array.from({ length: PER_DOC }, () => {
      const text = Array.from({ length: 4 }, () => sentences[Math.floor(r() * sentences.length)]).join(' ');
      return { text, charStart: 0, charEnd: text.length, page: null, headingPath: [], tokenCount: 64 };
    });
    const { added } = replaceDocument(db, { path: `/bench/doc${d}.txt`, folder: '/bench', hash: String(d), size: 1, mtimeMs: 1 }, chunks, 'bench');
    const doc = docVector(dim, d);
    const cr = rng(d * 2 + 9_000_001);
    storeVectors(db, added, added.map(() => mix(doc, gaussianUnit(dim, cr), CHUNK_NOISE)));
  }
  const storeMs = performance.now() - t0;
  console.error(`bench:query: ${size} chunks stored in ${round(storeMs / 1000, 0)} s; building the index`);
  const t1 = performance.now();
  const { index } = VectorIndex.open(db, dir, dim);
  await index.settled();
  const indexMs = performance.now() - t1;
  const kind = index.kind;
  index.close();
  db.close();
  return { storeMs: round(storeMs, 0), indexBuildMs: round(indexMs, 0), kind, buildPeakRssMb: peakRssMb() };
}

/** Exact top-K by inner product over every stored vector, streamed from SQLite in slices. */
function exactTopK(dir: string, queries: Float32Array[], dim: number, k: number): number[][] {
  const db = openDb(dir);
  const ids = db.prepare('SELECT chunk_id FROM vectors ORDER BY chunk_id').pluck().all() as number[];
  const best = queries.map(() => [] as { id: number; s: number }[]);
  const slice = 20_000;
  for (let i = 0; i < ids.length; i += slice) {
    const batch = ids.slice(i, i + slice);
    const vectors = readVectors(db, batch);
    const data = new Float32Array(batch.length * dim);
    batch.forEach((id, j) => data.set(vectors.get(id)!, j * dim));
    queries.forEach((q, qi) => {
      const m = usearch.exactSearch(data, q, dim, Math.min(k, batch.length), usearch.MetricKind.IP) as Matches;
      m.keys.forEach((pos: bigint, j: number) => best[qi]!.push({ id: batch[Number(pos)]!, s: 1 - m.distances[j]! }));
      best[qi] = best[qi]!.sort((a, b) => b.s - a.s).slice(0, k);
    });
  }
  db.close();
  return best.map((b) => b.map((x) => x.id));
}

/** Child: opens the store as `search` or `serve` would and measures latency per stage and Recall@K. */
async function query(dir: string, size: number): Promise<Record<string, unknown>> {
  const { modelsDir } = await benchModels();
  const settings = DEFAULT_SETTINGS;
  const embedder = await Embedder.load({ id: settings.embedderModel, modelDir: join(modelsDir, settings.embedderModel), settings });
  const dim = embedder.dim;
  const questions = cranfieldQueries().slice(0, Number(values.queries));
  const db = openDb(dir);
  const t0 = performance.now();
  const { index } = VectorIndex.open(db, dir, dim);
  const openMs = performance.now() - t0;
  const qvs = questions.map((_, i) => questionVector(dim, i, size / PER_DOC));
  // The model encodes the question (timed as embedQuery); the dense search uses the generated question vector.
  let current = 0;
  const queryEmbedder = Object.create(embedder) as Embedder;
  queryEmbedder.embedQuery = async (q: string) => { await embedder.embedQuery(q); return qvs[current]!; };
  const deps = { db, embedder: queryEmbedder, vectors: index };
  for (current = 0; current < 3; current++) await retrieve(questions[current]!, settings, deps); // warm-up
  const totals: number[] = [];
  const stages: Record<string, number[]> = {};
  const dense: number[][] = [];
  for (current = 0; current < questions.length; current++) {
    const r = await retrieve(questions[current]!, settings, deps);
    totals.push(r.timings.reduce((s, t) => s + t.ms, 0));
    for (const t of r.timings) (stages[t.stage] ??= []).push(t.ms);
    dense.push(index.search(qvs[current]!, K).map((x) => x.chunkId));
  }
  const queryPeakRssMb = peakRssMb();
  const kind = index.kind;
  index.close();
  db.close();
  await embedder.close();
  const exact = exactTopK(dir, qvs, dim, K);
  const recallOf = (got: number[], i: number) => got.filter((id) => exact[i]!.includes(id)).length / exact[i]!.length;
  const recalls = dense.map(recallOf);
  // The HNSW search breadth traded against recall, on the same saved graph and questions.
  const efVariants: Record<string, { recallAt100: number; searchP50Ms: number }> = {};
  if (kind === 'hnsw') {
    const manifest = JSON.parse(readFileSync(join(dir, 'vectors.ids.json'), 'utf8')) as { ids: number[] };
    for (const ef of [100, 160, 320, 640]) {
      const graph = HnswBackend.load(join(dir, HNSW_FILE), dim, manifest.ids, ef);
      const ms: number[] = [];
      const got = qvs.map((q) => { const t = performance.now(); const r = graph.search(q, K).map((x) => x.chunkId); ms.push(performance.now() - t); return r; });
      efVariants[ef] = { recallAt100: round(got.map(recallOf).reduce((a, b) => a + b, 0) / got.length, 3), searchP50Ms: round(percentile(ms, 50), 2) };
      graph.close();
    }
  }
  return {
    efVariants,
    kind, openMs: round(openMs, 0), p50Ms: round(percentile(totals, 50)), p90Ms: round(percentile(totals, 90)),
    stagesP50Ms: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(percentile(v, 50), 2)])),
    recallAt100: round(recalls.reduce((a, b) => a + b, 0) / recalls.length, 3), recallMin: round(Math.min(...recalls), 3),
    queryPeakRssMb, provider: embedder.provider, loadAverage1m: round(loadavg()[0]!, 1),
  };
}

function child(role: 'build' | 'query', dir: string, size: number): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, '--role', role, '--dir', dir, '--size', String(size), '--queries', values.queries!],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const line = out.trim().split('\n').filter((l) => l.startsWith('CHILD ')).at(-1);
  if (!line) throw new Error(`bench:query ${role} child printed no result`);
  return JSON.parse(line.slice(6)) as Record<string, unknown>;
}

if (values.role) {
  const size = Number(values.size);
  const dim = values.role === 'build' ? await (async () => {
    const { modelsDir } = await benchModels();
    const e = await Embedder.load({ id: DEFAULT_SETTINGS.embedderModel, modelDir: join(modelsDir, DEFAULT_SETTINGS.embedderModel), settings: DEFAULT_SETTINGS });
    const d = e.dim;
    await e.close();
    return d;
  })() : 0;
  const result = values.role === 'build' ? await build(values.dir!, size, dim) : await query(values.dir!, size);
  console.log(`CHILD ${JSON.stringify(result)}`);
} else {
  await benchModels();
  const largest = values.quick ? 10_000 : Number(values.chunks ?? 100_000);
  const sizes = [10_000, 100_000, 1_000_000].filter((n) => n < largest);
  sizes.push(largest);
  if (values.sizes) sizes.splice(0, sizes.length, ...values.sizes.split(',').map(Number));
  const results: Record<string, unknown>[] = [];
  for (const size of sizes) {
    const dir = tempDir('localrag-bench-query-');
    const built = child('build', dir, size);
    const measured = child('query', dir, size);
    const row = { chunks: size, ...built, ...measured } as Record<string, unknown>;
    console.log(`${size} chunks (${row.kind}): p50 ${row.p50Ms} ms, p90 ${row.p90Ms} ms, Recall@${K} ${row.recallAt100}; per stage p50 ${JSON.stringify(row.stagesP50Ms)}; peak RSS query ${row.queryPeakRssMb} MB, build ${row.buildPeakRssMb} MB; index built in ${row.indexBuildMs} ms`);
    results.push(row);
  }
  type Row = { chunks: number; p50Ms: number; recallAt100: number; queryPeakRssMb: number; stagesP50Ms: Record<string, number> };
  const rows = results as unknown as Row[];
  const growth = rows.slice(1).map((r, i) => ({
    from: rows[i]!.chunks, to: r.chunks, p50: round(r.p50Ms / rows[i]!.p50Ms, 2),
    stages: Object.fromEntries(Object.keys(r.stagesP50Ms).map((s) => [s, round(r.stagesP50Ms[s]! / Math.max(rows[i]!.stagesP50Ms[s]!, 0.01), 2)])),
  }));
  const top = rows.at(-1)!;
  const summary = {
    bench: 'query', k: K, queries: Number(values.queries), model: DEFAULT_SETTINGS.embedderModel, hnswFrom: HNSW_FROM,
    hnswExpansionSearch: EXPANSION_SEARCH, sizes: results, growth,
    goals: { p50Ms: 150, recallAt100: 0.95, peakRssMb: 2560 },
    goalMet: top.chunks >= 1_000_000
      ? { p50: top.p50Ms <= 150, recall: top.recallAt100 >= 0.95, peakRss: top.queryPeakRssMb <= 2560 }
      : { p50At100k: top.chunks >= 100_000 ? top.p50Ms <= 150 : null },
  };
  console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);
}
