// npm run bench:responsive — is the app responsive while it indexes? Serve mode over real HTTP: 2,000 files are
// indexed (Cranfield abstracts, one file each, recycled) while the UI's calls are made the way the renderer makes
// them — getStatus, search on the part already indexed, and a page load — and their latency is recorded.
// Variants, in the same run: 'worker' is the engine in a worker thread behind the engine host, with passages embedded
// on their own thread (what `localrag serve` does now); 'before' is the engine in the HTTP server's own thread with
// passages embedded there too (serve mode before the engine host). Goal: p95 of the UI calls <= 300 ms.
// Models: the tiny synthesised ones by default (this measures the host and the transport, not model speed);
// --models bench uses the e5-small / MiniLM-shaped ones. Flags: --files N (2000), --existing N (200), --variants.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineStatus, IndexSummary, SearchResult } from '../../core/contract/api.js';
import { createEngine } from '../../core/engine.js';
import { startWorkerHost } from '../../core/host/worker.js';
import { startServer, type RunningServer } from '../../core/serve/server.js';
import { TINY_MODELS, testModelsDir, tinyModels } from '../support/models.js';
import { tempDir } from '../support/temp.js';
import { benchModels, cranfieldDocs, cranfieldQueries, percentile, round } from './corpus.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    existing: { type: 'string', default: '200' },
    models: { type: 'string', default: 'tiny' },
    variants: { type: 'string', default: 'worker,before' },
  },
});
const FILES = Number(values.files);
const EXISTING = Number(values.existing);
/** Pause between UI calls, like a user moving around the app (the status bar polls, searches are typed). */
const GAP_MS = 50;

const { modelsDir, models } = values.models === 'bench'
  ? { modelsDir: (await benchModels()).modelsDir, models: {} }
  : { modelsDir: (await tinyModels(), testModelsDir), models: TINY_MODELS };
const docs = cranfieldDocs();
const questions = cranfieldQueries();

function writeCorpus(dir: string, count: number, offset: number): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const d = docs[(offset + i) % docs.length]!;
    writeFileSync(join(dir, `doc-${String(offset + i).padStart(5, '0')}.md`), `# ${d.title ?? d.id} (${offset + i})\n\n${d.text}\n`);
  }
  return dir;
}

interface Sample {
  kind: 'getStatus' | 'search' | 'page';
  ms: number;
  /** search: the stages' own time (the rest is waiting and transport), and each stage's. */
  computeMs?: number;
  stages?: Record<string, number>;
}

async function runVariant(variant: string): Promise<Record<string, unknown>> {
  const root = tempDir('localrag-bench-responsive-');
  const storeDir = join(root, 'store');
  const existing = writeCorpus(join(root, 'existing'), EXISTING, 0);
  const incoming = writeCorpus(join(root, 'incoming'), FILES, EXISTING);
  const staticDir = join(root, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), `<!doctype html><title>LocalRAG</title>${'<p>x</p>'.repeat(2000)}`);

  const overrides = { ...models, executionProvider: 'cpu' as const };
  let server: RunningServer;
  let stop: () => Promise<void>;
  if (variant === 'worker') {
    const host = startWorkerHost({ storeDir, modelsDir, overrides, quiet: true });
    const failed = await host.ready;
    if (failed) throw new Error(failed.message);
    server = await startServer({ host, staticDir });
    stop = async () => { await server.close(); await host.shutdown(60_000); };
  } else {
    process.env.LOCALRAG_EMBED_THREAD = '0';
    const engine = await createEngine({ storeDir, modelsDir, overrides });
    server = await startServer({ engine, staticDir });
    stop = async () => { await server.close(); await engine.close(); delete process.env.LOCALRAG_EMBED_THREAD; };
  }
  const base = `http://127.0.0.1:${server.port}`;
  const headers = { 'Content-Type': 'application/json', 'X-LocalRAG-Token': server.token };
  const api = async <T>(method: string, body: unknown): Promise<T> => {
    const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = await res.json() as T;
    if (!res.ok) throw new Error(`${method}: ${JSON.stringify(json)}`);
    return json;
  };

  const before = await api<IndexSummary>('reindex', { path: existing });
  const started = performance.now();
  await api('addFolder', { path: incoming });
  const samples: Sample[] = [];
  let q = 0;
  let status: EngineStatus | null = null;
  for (let i = 0; ; i++) {
    const kind: Sample['kind'] = (['getStatus', 'search', 'page'] as const)[i % 3]!;
    const t0 = performance.now();
    let timings: SearchResult['timings'] | undefined;
    if (kind === 'getStatus') status = await api<EngineStatus>('getStatus', {});
    else if (kind === 'search') timings = (await api<SearchResult>('search', { question: questions[q++ % questions.length] })).timings;
    else await (await fetch(`${base}/`)).text();
    samples.push({
      kind, ms: performance.now() - t0,
      ...(timings ? { computeMs: timings.reduce((sum, t) => sum + t.ms, 0), stages: Object.fromEntries(timings.map((t) => [t.stage, t.ms])) } : {}),
    });
    const phase = status?.indexing?.phase;
    if (kind === 'getStatus' && status?.indexing && status.indexing.filesTotal === FILES && (phase === 'done' || phase === 'error' || phase === 'cancelled')) break;
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  const indexSeconds = (performance.now() - started) / 1000;
  await stop();

  const stats = (ms: number[]) => ({ n: ms.length, p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), max: round(Math.max(...ms)) });
  const byKind = Object.fromEntries((['getStatus', 'search', 'page'] as const).map((k) => [k, stats(samples.filter((s) => s.kind === k).map((s) => s.ms))]));
  const all = stats(samples.map((s) => s.ms));
  const searches = samples.filter((s) => s.stages);
  const searchCompute = stats(searches.map((s) => s.computeMs!));
  const stageNames = [...new Set(searches.flatMap((s) => Object.keys(s.stages!)))];
  const stageP95 = Object.fromEntries(stageNames.map((n) => [n, round(percentile(searches.map((s) => s.stages![n] ?? 0), 95))]));
  const row = { variant, existingFiles: before.filesIndexed, files: FILES, indexSeconds: round(indexSeconds), filesPerSecond: round(FILES / indexSeconds), all, ...byKind, searchStages: searchCompute, searchStageP95: stageP95 };
  console.log(`${variant}: indexed ${FILES} files in ${row.indexSeconds} s while ${all.n} UI calls answered in p50 ${all.p50} ms, p95 ${all.p95} ms, max ${all.max} ms`
    + ` (getStatus p95 ${byKind.getStatus!.p95}, search p95 ${byKind.search!.p95} of which its stages p95 ${searchCompute.p95} ${JSON.stringify(stageP95)}, page p95 ${byKind.page!.p95})`);
  return row;
}

const rows = [];
for (const variant of values.variants.split(',')) rows.push(await runVariant(variant.trim()));
const worker = rows.find((r) => r.variant === 'worker') as { all: { p95: number } } | undefined;
const before = rows.find((r) => r.variant === 'before') as { all: { p95: number } } | undefined;
console.log(`BENCH_SUMMARY ${JSON.stringify({
  bench: 'responsive', models: values.models, files: FILES, existingFiles: EXISTING, goalP95Ms: 300,
  p95Ms: worker?.all.p95 ?? null, met: worker ? worker.all.p95 <= 300 : null,
  beforeOverWorkerP95: worker && before ? round(before.all.p95 / worker.all.p95, 2) : null,
  variants: rows,
})}`);
process.exit(0);
