// npm run bench:index — chunks/s of the whole indexing path (walk, parse, chunk, SQLite, embed, FAISS) beside the
// raw ONNX embedder throughput on the same chunks, in the same run; plus the process's peak RSS while indexing (read
// before the raw embedder runs). Goals (issue 13): whole path within 1.1x of the raw embedder, peak RSS <= 500 MiB.
// Flags: --quick (300 documents instead of 1400), --provider <ep>.
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

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, provider: { type: 'string', default: 'auto' } } });

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

// Raw embedder on exactly the chunks the indexer produced, same batch size and provider.
const embedder = await Embedder.load({ id: settings.embedderModel, modelDir: join(modelsDir, settings.embedderModel), settings });
await embedder.embedPassages(chunks.slice(0, settings.embedBatchSize)); // warm-up
const t0 = performance.now();
await embedder.embedPassages(chunks);
const rawMs = performance.now() - t0;
await embedder.close();

const machineLoad = window.stop();
const fullRate = chunks.length / (full.ms / 1000);
const rawRate = chunks.length / (rawMs / 1000);
const summary = {
  bench: 'index', documents: docs.length, chunks: chunks.length, provider: full.provider,
  fullChunksPerSec: round(fullRate), rawEmbedChunksPerSec: round(rawRate), ratio: round(rawRate / fullRate, 2),
  goalRatio: GOAL_RATIO, goalMet: rawRate / fullRate <= GOAL_RATIO,
  indexingPeakRssMiB, goalPeakRssMiB: GOAL_PEAK_RSS_MIB, peakRssGoalMet: indexingPeakRssMiB <= GOAL_PEAK_RSS_MIB, peakRssMiB: peakRssMiB(),
  otherProcessesCores: machineLoad.otherProcessesCores === null ? null : round(machineLoad.otherProcessesCores, 2),
  model: settings.embedderModel, note: 'synthesised model with the true shape of multilingual-e5-small',
};
console.log(`whole indexing path: ${summary.fullChunksPerSec} chunks/s; raw embedder: ${summary.rawEmbedChunksPerSec} chunks/s; ratio ${summary.ratio} (goal <= ${GOAL_RATIO})`);
console.log(`peak RSS while indexing ${indexingPeakRssMiB} MiB (goal <= ${GOAL_PEAK_RSS_MIB}); whole run ${summary.peakRssMiB} MiB; other processes used ${summary.otherProcessesCores ?? '?'} cores`);
console.log(`BENCH_SUMMARY ${JSON.stringify(summary)}`);

