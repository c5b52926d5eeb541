// Child-side entry points for tests that could hang if a defect came back (a FIFO read blocks for ever): the test
// runs them through runInChild, which kills them at a deadline instead of freezing the suite.
import { parseFile } from '../../../core/ingest/parse/index.js';
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
