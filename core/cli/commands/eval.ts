// localrag eval <collection-dir>: index the collection into its own store, score every query once, compute metrics
// per mode (and with --grid the N x alpha grid) from cached scores, write report.json/csv and the chart.
import { join, resolve } from 'node:path';
import type { RerankMode } from '../../contract/api.js';
import { RERANK_MODES } from '../../contract/vocabulary.js';
import { engineForEval } from '../../engine/eval-engine.js';
import { DEFAULT_ALPHAS, DEFAULT_NS, loadCollection, runEval } from '../../eval/index.js';
import { resolveModelDir, modelStatus } from '../../models/index.js';
import { fuseScores } from '../../rerank/index.js';
import { EXIT, modelsDirOf, num, parse, printJson, storeDirOf, UsageError } from '../args.js';
import { interruptSignal } from '../interrupt.js';
import { openEngine } from '../open-engine.js';

const MODES: readonly RerankMode[] = RERANK_MODES;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    modes: { type: 'string' }, grid: { type: 'boolean', default: false }, out: { type: 'string' }, ns: { type: 'string' },
    alphas: { type: 'string' }, k: { type: 'string' }, limit: { type: 'string' }, png: { type: 'boolean', default: false },
  });
  const dir = positionals[0];
  if (!dir) throw new UsageError('eval needs a collection folder: localrag eval <collection-dir> [--grid]');
  const modes = typeof values.modes === 'string' ? values.modes.split(',').map((m) => m.trim()) as RerankMode[] : MODES;
  const bad = modes.filter((m) => !MODES.includes(m));
  if (bad.length) throw new UsageError(`unknown mode ${bad.join(', ')} (allowed: ${MODES.join(', ')})`);
  const list = (v: unknown, name: string) => (typeof v === 'string' ? v.split(',').map((x) => num(x, name)!) : undefined);
  const collection = await loadCollection(resolve(dir));
  const limit = num(values.limit, 'limit');
  if (limit !== undefined) collection.queries = collection.queries.slice(0, limit);
  const appStore = storeDirOf(values);
  const outDir = typeof values.out === 'string' ? resolve(values.out) : join(appStore, 'eval');
  const slug = collection.name.replace(/[^\w.-]+/g, '_');
  // The app's own settings (models, K, fusion) in the collection's separate store; one chunk per document. Only
  // read: an app store that is not there gives the defaults and is not created.
  const app = await openEngine(values, {}, { access: 'read-or-empty' });
  const appSettings = await app.getSettings();
  await app.close();
  // The collection's store and its corpus folder side by side: a store never indexes a folder inside itself.
  const engine = await openEngine({ ...values, store: join(appStore, 'eval-index', slug, 'store') }, { ...appSettings, chunkTokens: 512, chunkOverlap: 0 });
  try {
    const s = await engine.getSettings();
    const modelsDir = modelsDirOf(values);
    const models = [
      { role: 'embedder' as const, id: s.embedderModel, dir: resolveModelDir(modelsDir, s.embedderModel), provenance: modelStatus(modelsDir, s.embedderModel, 'embedder').provenance },
      { role: 'cross-encoder' as const, id: s.crossEncoderModel, dir: resolveModelDir(modelsDir, s.crossEncoderModel), provenance: modelStatus(modelsDir, s.crossEncoderModel, 'cross-encoder').provenance },
    ];
    const ns = list(values.ns, 'ns') ?? (values.grid ? DEFAULT_NS : [s.topN]);
    const alphas = list(values.alphas, 'alphas') ?? (values.grid ? DEFAULT_ALPHAS : [s.alpha]);
    const report = await runEval({
      collection, engine: engineForEval(engine, join(appStore, 'eval-index', slug, 'corpus')), modes, ns, alphas,
      fuse: (c, a, n) => fuseScores(c, a, n).map((f) => f.final), normalisation: s.normalisation, k: num(values.k, 'k') ?? s.retrieveK,
      outDir, current: { mode: s.rerankMode, topN: s.topN, alpha: s.alpha }, models, png: Boolean(values.png), signal: interruptSignal(),
      onProgress: (p) => { if (process.stderr.isTTY && !values.quiet) process.stderr.write(`\r\x1b[2K${p.phase} ${p.done}/${p.total}`); },
    });
    if (process.stderr.isTTY && !values.quiet) process.stderr.write('\n');
    if (values.json) {
      printJson({ ...report, svg: undefined, outDir, files: ['report.json', 'report.csv', 'chart.svg', ...(values.png ? ['chart.png'] : [])].map((f) => join(outDir, f)) });
      return EXIT.ok;
    }
    console.log(`${report.collection}: ${report.queries} queries`);
    if (report.warning) console.log(`warning: ${report.warning}`);
    const best = new Map<string, (typeof report.points)[number]>();
    for (const p of report.points) if (!best.has(p.mode) || p.ndcg10 > best.get(p.mode)!.ndcg10) best.set(p.mode, p);
    console.log('mode    N    alpha  nDCG@10  MRR@10  R@100   MAP     p50 ms');
    for (const p of best.values()) console.log(`${p.mode.padEnd(7)} ${String(p.topN).padStart(3)}  ${p.alpha.toFixed(1).padStart(5)}  ${p.ndcg10.toFixed(4)}   ${p.mrr10.toFixed(4)}  ${p.recall100.toFixed(4)}  ${p.map.toFixed(4)}  ${p.p50Ms.toFixed(1)}`);
    console.log(`Pareto points: ${report.points.filter((p) => p.pareto).map((p) => `${p.mode}(N=${p.topN}, a=${p.alpha})`).join(', ')}`);
    console.log(`report: ${join(outDir, 'report.json')}, chart: ${join(outDir, 'chart.svg')}`);
    return EXIT.ok;
  } finally {
    await engine.close();
  }
}
