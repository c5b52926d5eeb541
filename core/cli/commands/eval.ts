// localrag eval <collection-dir>: index the collection into its own store, score every query once, compute metrics
// per mode (and with --grid the N x alpha grid) from cached scores, write report.json/csv and the chart.
// A labelled-questions .json file is evaluated against the library already indexed in the app's store.
// The app's Evaluate screen runs the same evaluateCollection.
import { join, resolve } from 'node:path';
import type { RerankMode } from '../../contract/api.js';
import { RERANK_MODES } from '../../contract/vocabulary.js';
import { evaluateCollection } from '../../engine/eval-engine.js';
import { DEFAULT_ALPHAS, DEFAULT_NS, loadCollection } from '../../eval/index.js';
import { EXIT, num, parse, printJson, settingFlag, storeDirOf, UsageError } from '../args.js';
import { interruptSignal } from '../interrupt.js';
import { openEngine } from '../open-engine.js';
import { COMMANDS } from '../usage.js';

const MODES: readonly RerankMode[] = RERANK_MODES;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, COMMANDS.eval!.options);
  const dir = positionals[0];
  if (!dir) throw new UsageError('eval needs a collection folder: localrag eval <collection-dir> [--grid]');
  const modes = typeof values.modes === 'string' ? values.modes.split(',').map((m) => m.trim()) as RerankMode[] : MODES;
  const bad = modes.filter((m) => !MODES.includes(m));
  if (bad.length) throw new UsageError(`unknown mode ${bad.join(', ')} (allowed: ${MODES.join(', ')})`);
  const list = (v: unknown, name: string) => (typeof v === 'string' ? v.split(',').map((x) => num(x, name)!) : undefined);
  const ns = list(values.ns, 'ns');
  if (ns?.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UsageError('--ns takes whole numbers of at least 1 (N is how many candidates the cross-encoder scores; for none use --modes bi)');
  }
  const retrieval = settingFlag(values.retrieval, 'retrieval', 'retrieval');
  const overrides = retrieval ? { retrieval } : {};
  const collection = await loadCollection(resolve(dir));
  const limit = num(values.limit, 'limit');
  if (limit !== undefined) collection.queries = collection.queries.slice(0, limit);
  const appStore = storeDirOf(values);
  const outDir = typeof values.out === 'string' ? resolve(values.out) : join(appStore, 'eval');
  // The app's settings (with this command's flags) are evaluated: a collection in its own store, labelled
  // questions against the app's library. The library is only read: an app store that is not there gives the
  // defaults (and an empty library) and is not created.
  const library = await openEngine(values, overrides, { access: 'read-or-empty' });
  try {
    const s = await library.getSettings();
    const report = await evaluateCollection(collection, {
      library, storeDir: appStore, openEngine: (store, settings) => openEngine({ ...values, store }, settings),
      modes, ns: ns ?? (values.grid ? DEFAULT_NS : [s.topN]), alphas: list(values.alphas, 'alphas') ?? (values.grid ? DEFAULT_ALPHAS : [s.alpha]),
      normalisation: s.normalisation, k: num(values.k, 'k') ?? s.retrieveK,
      outDir, current: { mode: s.rerankMode, topN: s.topN, alpha: s.alpha }, png: Boolean(values.png), signal: interruptSignal(),
      onProgress: (p) => { if (process.stderr.isTTY && !values.quiet) process.stderr.write(`\r\x1b[2K${p.phase} ${p.done}/${p.total}`); },
    });
    if (process.stderr.isTTY && !values.quiet) process.stderr.write('\n');
    if (values.json) {
      printJson({ ...report, svg: undefined, outDir, files: ['report.json', 'report.csv', 'chart.svg', ...(values.png ? ['chart.png'] : [])].map((f) => join(outDir, f)) });
      return EXIT.ok;
    }
    console.log(`${report.collection}: ${report.queries} queries, retrieval ${report.retrieval}, K ${report.k}`);
    for (const line of report.provenance) console.log(`model: ${line}`);
    if (report.rescoredBecause) console.log(`note: rescored because ${report.rescoredBecause}`);
    if (report.warning) console.log(`warning: ${report.warning}`);
    const best = new Map<string, (typeof report.points)[number]>();
    for (const p of report.points) if (!best.has(p.mode) || p.ndcg10 > best.get(p.mode)!.ndcg10) best.set(p.mode, p);
    console.log(`mode    N    alpha  nDCG@10  MRR@10  R@100   MAP@${report.mapDepth}  p50 ms`);
    for (const p of best.values()) console.log(`${p.mode.padEnd(7)} ${String(p.topN).padStart(3)}  ${p.alpha.toFixed(1).padStart(5)}  ${p.ndcg10.toFixed(4)}   ${p.mrr10.toFixed(4)}  ${p.recall100.toFixed(4)}  ${p.map.toFixed(4)}    ${p.p50Ms.toFixed(1)}`);
    console.log(`Pareto points: ${report.points.filter((p) => p.pareto).map((p) => `${p.mode}(N=${p.topN}, a=${p.alpha})`).join(', ')}`);
    console.log(`report: ${join(outDir, 'report.json')}, chart: ${join(outDir, 'chart.svg')}`);
    return EXIT.ok;
  } finally {
    await library.close();
  }
}
