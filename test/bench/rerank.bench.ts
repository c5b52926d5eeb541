// npm run bench:rerank — MixLM reranking latency over the same 100 candidates per question.
// Passages: consecutive Cranfield abstracts joined into ~256-token passages. Models: synthesised with the true shapes
// of multilingual-e5-small and ms-marco-MiniLM-L-6-v2 (random weights: only speed is meaningful), fp32 and int8.
// Variants: seed (reference recipe: re-embed the 100 passages + cross-encoder on the bi top 20, one pair per call,
// fp32), cross (our batched cross-encoder on all 100), mixlm (ours, N=20). The query vector comes from retrieval in
// every variant (the query is encoded once per search), so it is not timed here; the seed's re-encoding is.
// Flags: --quick (3 questions), --questions N, --top-n N, --embedder DIR, --cross DIR (or env LOCALRAG_BENCH_EMBEDDER,
// LOCALRAG_BENCH_CROSS; LOCALRAG_BENCH_MODELS moves the synthesised models).
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Candidate, RerankParams, RetrieveResult } from '../../core/contract/api.js';
import { DEFAULT_SETTINGS, type Settings } from '../../core/contract/settings.js';
import { dot, Embedder } from '../../core/embed/embedder.js';
import type { Encoded } from '../../core/embed/tokenizer.js';
import { CrossEncoder } from '../../core/rerank/cross-encoder.js';
import { fuseScores, rankOrder, rankScored } from '../../core/rerank/fuse.js';
import { Reranker } from '../../core/rerank/rerank.js';
import { benchModels, cranfieldDocs, cranfieldQueries, percentile, round } from './corpus.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    questions: { type: 'string' },
    'top-n': { type: 'string', default: '20' },
    embedder: { type: 'string' },
    cross: { type: 'string' },
    provider: { type: 'string', default: 'cpu' }, // an EXECUTION_PROVIDERS value; the device check runs webgpu / cuda
  },
});
const K = 100;
const TOP_N = Number(flags['top-n']);
const PASSAGE_TOKENS = 256;
/** The estimate of the compute floor for N=20 int8 pairs of ~256 tokens on 2 cores. */
const FLOOR_TARGET_S = 0.16;
const questionCount = Number(flags.questions ?? (flags.quick ? 3 : 8));

const embedderDir = flags.embedder ?? process.env.LOCALRAG_BENCH_EMBEDDER;
const crossDir = flags.cross ?? process.env.LOCALRAG_BENCH_CROSS;
const dirs = embedderDir && crossDir ? { embedderDir, crossEncoderDir: crossDir } : await benchModels();
const settings: Settings = { ...DEFAULT_SETTINGS, executionProvider: flags.provider as Settings['executionProvider'] };
const load = (preferQuantized: boolean) => CrossEncoder.load({ id: 'ms-marco-MiniLM-L-6-v2', modelDir: dirs.crossEncoderDir, settings: { ...settings, preferQuantized } });
const cross = { fp32: await load(false), int8: await load(true) };
const seedCross = await CrossEncoder.load({ id: 'ms-marco-MiniLM-L-6-v2', modelDir: dirs.crossEncoderDir, settings: { ...settings, preferQuantized: false, crossBatchSize: 1 } });
const embedder = await Embedder.load({ id: 'multilingual-e5-small', modelDir: dirs.embedderDir, settings: { ...settings, preferQuantized: false } });
if (!cross.int8.quantized) console.warn(`warning: no int8 cross-encoder in ${dirs.crossEncoderDir}; the int8 rows run ${cross.int8.modelPath}`);

// ~256-token passages (cross-encoder tokens): consecutive abstracts joined, cut at word boundaries.
const tok = cross.fp32.tokenizer;
const pool: string[] = [];
let acc: string[] = [];
let accTokens = 0;
for (const word of cranfieldDocs().flatMap((d) => d.text.split(/\s+/).filter(Boolean))) {
  const n = tok.count(word);
  if (accTokens + n > PASSAGE_TOKENS && acc.length) { pool.push(acc.join(' ')); acc = []; accTokens = 0; }
  acc.push(word);
  accTokens += n;
  if (pool.length >= K + 60) break;
}
const passageTokens = pool.map((p) => tok.count(p));
const questions = cranfieldQueries().slice(0, questionCount + 1); // the first is the warm-up

// Index time (not timed): every pool passage's stored vector.
const stored = await embedder.embedPassages(pool);

interface Query { question: string; queryVector: Float32Array; candidates: Candidate[] }
async function makeQuery(question: string, q: number): Promise<Query> {
  const queryVector = await embedder.embedQuery(question);
  const offset = (q * 7) % (pool.length - K + 1);
  const candidates = pool.slice(offset, offset + K).map((text, i): Candidate => ({
    chunkId: offset + i, documentId: offset + i, path: 'cran.all.1400', page: null, headingPath: [], charStart: 0, charEnd: text.length, text,
    denseScore: dot(queryVector, stored[offset + i]!), denseRank: null, bm25Score: null, bm25Rank: null,
    retrievalScore: 1 / (61 + i), retrievalRank: i + 1,
  }));
  return { question, queryVector, candidates };
}

/** The reference recipe: re-encode the K passages, cosine, cross-encoder one pair per call on the top N, minmax. */
async function seedRecipe(q: Query): Promise<number[]> {
  const vectors = await embedder.embedPassages(q.candidates.map((c) => c.text));
  const bi = vectors.map((v) => dot(q.queryVector, v));
  const top = rankScored(bi).slice(0, TOP_N);
  const crossScores = new Map<number, number>();
  for (const i of top) crossScores.set(i, (await seedCross.score(q.question, [q.candidates[i]!.text]))[0]!);
  return rankOrder(fuseScores(bi.map((b, i) => ({ bi: b, cross: crossScores.get(i) ?? null })), 0.7, 'minmax').map((f) => f.final));
}

async function ours(q: Query, encoder: CrossEncoder, mode: RerankParams['mode']): Promise<void> {
  // A fresh reranker per search: its score cache must not help (the encoder and its session are shared).
  const reranker = new Reranker({ crossEncoder: encoder });
  const retrieval: RetrieveResult = { question: q.question, candidates: q.candidates, timings: [], dense: { status: 'ok' } };
  const r = await reranker.rerank({ queryId: 'bench', question: q.question, retrieval, params: { mode, alpha: 0.7, topN: TOP_N, finalK: 10, normalisation: 'minmax' } });
  const crossed = r.candidates.filter((c) => c.crossScored).length;
  if (crossed !== (mode === 'cross' ? K : TOP_N)) throw new Error(`${mode}: ${crossed} pairs cross-scored`);
}

/** Model-only time of the mixlm step: the same N pairs, tokenised beforehand, no cache or fusion around them. */
const preEncoded = new Map<Query, Encoded[]>();
function encodeTopN(q: Query, encoder: CrossEncoder): Encoded[] {
  const top = rankScored(q.candidates.map((c) => c.denseScore)).slice(0, TOP_N);
  return encoder.encode(q.question, top.map((i) => q.candidates[i]!.text));
}

const variants: Record<string, (q: Query) => Promise<unknown>> = {
  seed_fp32: seedRecipe,
  cross_fp32: (q) => ours(q, cross.fp32, 'cross'),
  cross_int8: (q) => ours(q, cross.int8, 'cross'),
  mixlm_fp32: (q) => ours(q, cross.fp32, 'mixlm'),
  mixlm_int8: (q) => ours(q, cross.int8, 'mixlm'),
  modelOnly_int8: (q) => cross.int8.scoreEncoded(preEncoded.get(q)!),
};
const wall: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));

const queries: Query[] = [];
for (const [q, question] of questions.entries()) queries.push(await makeQuery(question, q));
for (const q of queries) preEncoded.set(q, encodeTopN(q, cross.int8));
const loadBefore = loadavg()[0]!;
for (const run of Object.values(variants)) await run(queries[0]!); // warm-up, excluded
// Variants interleaved per question, so background load on the shared cores hits them alike.
for (const q of queries.slice(1)) {
  for (const [name, run] of Object.entries(variants)) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run(q);
    wall[name]!.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[name]!.push((c.user + c.system) / 1000);
  }
  process.stderr.write('.');
}
process.stderr.write('\n');

const p = (name: string, pct: number) => percentile(wall[name]!, pct);
const rows = Object.fromEntries(Object.keys(variants).map((k) => [k, {
  p50Ms: round(p(k, 50)), p90Ms: round(p(k, 90)), minMs: round(Math.min(...wall[k]!)), cpuP50Ms: round(percentile(cpu[k]!, 50)),
}]));
const ratio = (a: string, b: string) => round(p(a, 50) / p(b, 50), 2);
const ratios = {
  crossOverMixlm: { fp32: ratio('cross_fp32', 'mixlm_fp32'), int8: ratio('cross_int8', 'mixlm_int8') },
  seedOverMixlm: { fp32: ratio('seed_fp32', 'mixlm_fp32'), int8: ratio('seed_fp32', 'mixlm_int8') },
};
const mixlmInt8S = p('mixlm_int8', 50) / 1000;
const cores = availableParallelism();
const summary = {
  bench: 'rerank', provider: cross.int8.provider, cores, loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) },
  questions: queries.length - 1, candidates: K, topN: TOP_N, batchTokens: cross.int8.batchTokens, crossBatchSize: cross.int8.batchSize,
  passageTokens: { mean: round(passageTokens.reduce((s, x) => s + x, 0) / passageTokens.length), min: Math.min(...passageTokens), max: Math.max(...passageTokens) },
  models: { embedder: embedder.modelPath, crossFp32: cross.fp32.modelPath, crossInt8: cross.int8.modelPath },
  variants: rows, ratios,
  floor: {
    targetS: FLOOR_TARGET_S, mixlmInt8S: round(mixlmInt8S, 3), mixlmInt8OverTarget: round(mixlmInt8S / FLOOR_TARGET_S, 2),
    mixlmInt8MinS: round(rows.mixlm_int8!.minMs / 1000, 3), modelOnlyInt8S: round(p('modelOnly_int8', 50) / 1000, 3),
  },
  goals: {
    crossOverMixlmAtLeast5: ratios.crossOverMixlm.fp32 >= 5 && ratios.crossOverMixlm.int8 >= 5,
    seedOverMixlmAtLeast10: ratios.seedOverMixlm.int8 >= 10,
    mixlmInt8Within2xFloor: mixlmInt8S <= 2 * FLOOR_TARGET_S,
  },
};

console.log(`rerank bench: ${summary.questions} questions x ${K} candidates (~${summary.passageTokens.mean} tokens each), top N ${TOP_N}, provider ${summary.provider}, ${cores} cores, load average ${summary.loadAverage.before} -> ${summary.loadAverage.after}`);
for (const [name, r] of Object.entries(rows)) {
  console.log(`  ${name.padEnd(15)} p50 ${String(r.p50Ms).padStart(8)} ms   p90 ${String(r.p90Ms).padStart(8)} ms   min ${String(r.minMs).padStart(8)} ms   cpu p50 ${String(r.cpuP50Ms).padStart(8)} ms`);
}
console.log(`  cross/mixlm: fp32 ${ratios.crossOverMixlm.fp32}x, int8 ${ratios.crossOverMixlm.int8}x (goal >= 5; 100 vs ${TOP_N} pairs bounds it near ${round(K / TOP_N, 1)})`);
console.log(`  seed/mixlm:  vs fp32 ${ratios.seedOverMixlm.fp32}x, vs int8 ${ratios.seedOverMixlm.int8}x (goal >= 10)`);
console.log(`  mixlm int8 p50 ${summary.floor.mixlmInt8S} s = ${summary.floor.mixlmInt8OverTarget}x the ${FLOOR_TARGET_S} s floor estimate (goal <= 2x); best ${summary.floor.mixlmInt8MinS} s; model alone p50 ${summary.floor.modelOnlyInt8S} s`);
if (summary.loadAverage.before > cores || summary.loadAverage.after > cores) console.log(`  note: load average above ${cores}: other processes shared these cores; wall times are inflated`);
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);

for (const c of [cross.fp32, cross.int8, seedCross]) await c.close();
await embedder.close();
