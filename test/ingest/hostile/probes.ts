// Child-side entry points for tests that could hang or blow up if a defect came back (a FIFO read blocks for ever, a
// bomb exhausts memory): the test runs them through runInChild, which kills them at a deadline and reports peak RSS.
import { join, relative } from 'node:path';
import { DEFAULT_SETTINGS } from '../../../core/contract/settings.js';
import { indexFolders } from '../../../core/ingest/indexer.js';
import { parseFile, type ParseOptions } from '../../../core/ingest/parse/index.js';
import { parseSandbox } from '../../../core/ingest/parse/sandbox.js';
import { openDb } from '../../../core/store/db.js';
import { listFiles } from '../../../core/store/documents.js';
import { walkFolder } from '../../../core/ingest/walk.js';
import { watchFolders } from '../../../core/ingest/watch.js';

export interface WalkParseReport {
  /** relPath -> parsed kind, for files that parsed. */
  indexed: Record<string, string>;
  /** relPath -> reason, for files the walker or the parser refused. */
  skipped: Record<string, string>;
}

/** Walks `dir` and parses every file the walker lists, as the indexer would. */
export async function walkAndParse(dir: string): Promise<WalkParseReport> {
  const report: WalkParseReport = { indexed: {}, skipped: {} };
  for await (const e of walkFolder(dir)) {
    if (e.skipped) {
      report.skipped[e.relPath] = e.reason;
      continue;
    }
    const r = await parseFile(e.path);
    if (r.ok) report.indexed[e.relPath] = r.doc.kind;
    else report.skipped[e.relPath] = r.reason;
  }
  return report;
}

/** Starts a watcher on `dir`, waits until it is ready, and closes it. */
export async function watcherStarts(dir: string): Promise<boolean> {
  const w = watchFolders([dir], () => {}, { debounceMs: 50 });
  await w.ready;
  await w.close();
  return true;
}

export interface IndexRunReport {
  ms: number;
  /** relPath -> problem code, for files skipped. */
  skipped: Record<string, string>;
  /** relPath -> note code or null, for files indexed. */
  indexed: Record<string, string | null>;
  /** Peak RSS of the indexing process, and the highest any parse process reported, in MiB. */
  peakRssMb: number;
  parsePeakRssMb: number;
}

/** Indexes `folder` into a fresh store as the engine does (no embedder: text and BM25 only) and reports per file. */
export async function indexAndReport(folder: string, storeDir: string, parse: Pick<ParseOptions, 'budget' | 'inline'> = {}): Promise<IndexRunReport> {
  const db = openDb(storeDir);
  const t0 = performance.now();
  await indexFolders([folder], {
    db, embedder: null, vectors: null, parse,
    dense: { status: 'model-missing', error: { code: 'model-missing', message: 'no embedder in this probe' } },
    settings: DEFAULT_SETTINGS,
    ownDirs: { store: storeDir, models: join(storeDir, 'models') },
  });
  const ms = performance.now() - t0;
  const report: IndexRunReport = { ms, skipped: {}, indexed: {}, peakRssMb: process.resourceUsage().maxRSS / 1024, parsePeakRssMb: parseSandbox.peakRssMb };
  for (const f of listFiles(db)) {
    const rel = relative(folder, f.path);
    if (f.state === 'indexed') report.indexed[rel] = f.note?.code ?? null;
    else report.skipped[rel] = f.problem?.code ?? `no code: ${f.reason}`;
  }
  db.close();
  return report;
}
