// npm run bench:index — chunks/s of the whole indexing path (walk, parse, chunk, SQLite, embed, FAISS) beside the
// raw ONNX embedder throughput on the same chunks, in the same run; plus the process's peak RSS while indexing (read
// before the raw embedder runs). Goals (issue 13): whole path within 1.1x of the raw embedder, peak RSS <= 500 MiB.
// The raw embedder runs two ways, interleaved slice by slice on the same chunks: as indexing does (int8: one passage
// per call, so a vector does not depend on its batch mates) and in shared batches of embedBatchSize under the
// padded-token budget (the old way). With --fp32 the fp32 model runs both ways too, on the first 256 chunks.
// Flags: --quick (300 documents instead of 1400), --provider <ep>, --fp32.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../../core/engine.js';
import { Embedder } from '../../core/embed/embedder.js';
import { DEFAULT_SETTINGS } from '../../core/contract/settings.js';
import { benchModels, cranfieldDocs, round } from './corpus.js';
import { tempDir } from '../support/temp.js';
import { loadWindow } from './machine.js';

const GOAL_RATIO = 1.1;
const GOAL_PEAK_RSS_MIB = 500;
const peakRssMiB = () => round(process.resourceUsage().maxRSS / 1024);

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, provider: { type: 'string', default: 'auto' }, fp32: { type: 'boolean', default: false } } });

const work = tempDir('localrag-bench-index-');
const { modelsDir } = await benchModels();
const docs = cranfieldDocs().slice(0, values.quick ? 300 : 1400);
const folder = join(work, 'corpus');
mkdirSync(folder);
for (const d of docs) writeFileSync(join(folder, `cran-${d.id.padStart(4, '0')}.txt`), `${d.title ?? ''}\n\n${d.text}\n`);

const settings = { ...DEFAULT_SETTINGS, executionProvider: values.provider as typeof DEFAULT_SETTINGS.executionProvider };
const window = loadWindow();
const engine = await createEngine({ storeDir: join(work, 'store'), modelsDir, overrides: { executionProvider: settings.executionProvider } });
const full = await engine.reindex({ path: folder });
const chunks = engine.db.prepare('SELECT text FROM chunks ORDER BY id').pluck().all() as string[];
await engine.close();
const indexingPeakRssMiB = peakRssMiB();

// Raw embedder on exactly the chunks the indexer produced, same batch size and provider: each way gets the same
// slices in alternating order, so a change in the machine's load falls on both.
const SLICE = 64;
async function compareWays(quantized: boolean, texts: string[]): Promise<Record<'asIndexed' | 'batched', { chunksPerSec: number; cpuS: number; passagesPerCall: number }>> {
  const load = (passagesPerCall?: number) => Embedder.load({ id: settings.embedderModel, modelDir: join(modelsDir, settings.embedderModel), settings: { ...settings, preferQuantized: quantized }, passagesPerCall });
  const ways = { asIndexed: await load(), batched: await load(settings.embedBatchSize) };
  const spent = { asIndexed: { ms: 0, cpu: 0 }, batched: { ms: 0, cpu: 0 } };
  for (const e of Object.values(ways)) await e.embedPassages(texts.slice(0, settings.embedBatchSize)); // warm-up
  for (let k = 0; k * SLICE < texts.length; k++) {
    const slice = texts.slice(k * SLICE, (k + 1) * SLICE);
    for (const name of (k % 2 ? ['batched', 'asIndexed'] : ['asIndexed', 'batched']) as (keyof typeof ways)[]) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await ways[name].embedPassages(slice);
      spent[name].ms += performance.now() - t0;
      const c = process.cpuUsage(c0);
      spent[name].cpu += (c.user + c.system) / 1e6;
    }
  }
  const out = {} as Awaited<ReturnType<typeof compareWays>>;
  for (const name of ['asIndexed', 'batched'] as const) {
    out[name] = { chunksPerSec: round(texts.length / (spent[name].ms / 1000)), cpuS: round(spent[name].cpu), passagesPerCall: ways[name].passagesPerCall };
    await ways[name].close();
  }
  return out;
}
const int8 = await compareWays(settings.preferQuantized, chunks);
const fp32 = values.fp32 ? await compareWays(false, chunks.slice(0, 256)) : null;

const machineLoad = window.stop();
const fullRate = chunks.length / (full.ms / 1000);
const rawRate = int8.asIndexed.chunksPerSec;
const summary = {
  bench: 'index', documents: docs.length, chunks: chunks.length, provider: full.provider,
  fullChunksPerSec: round(fullRate), rawEmbedChunksPerSec: round(rawRate), ratio: round(rawRate / fullRate, 2),
  goalRatio: GOAL_RATIO, goalMet: rawRate / fullRate <= GOAL_RATIO,
  rawBatchedChunksPerSec: int8.batched.chunksPerSec, asIndexedVsBatched: round(int8.asIndexed.chunksPerSec / int8.batched.chunksPerSec, 2),
  raw: int8, fp32,
  indexingPeakRssMiB, goalPeakRssMiB: GOAL_PEAK_RSS_MIB, peakRssGoalMet: indexingPeakRssMiB <= GOAL_PEAK_RSS_MIB, peakRssMiB: peakRssMiB(),
  otherProcessesCores: machineLoad.otherProcessesCores === null ? null : round(machineLoad.otherProcessesCores, 2),
  model: settings.embedderModel, note: 'synthesised model with the true shape of multilingual-e5-small',
};
console.log(`whole indexing path: ${summary.fullChunksPerSec} chunks/s; raw embedder: ${summary.rawEmbedChunksPerSec} chunks/s; ratio ${summary.ratio} (goal <= ${GOAL_RATIO})`);
console.log(`raw embedder as indexing calls it (${int8.asIndexed.passagesPerCall} per call) vs shared batches of ${int8.batched.passagesPerCall}: ${summary.asIndexedVsBatched}x the throughput (CPU ${int8.asIndexed.cpuS} vs ${int8.batched.cpuS} s)`);
console.log(`peak RSS while indexing ${indexingPeakRssMiB} MiB (goal <= ${GOAL_PEAK_RSS_MIB}); whole run ${summary.peakRssMiB} MiB; other processes used ${summary.otherProcessesCores ?? '?'} cores`);
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);

