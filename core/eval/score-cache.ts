// Per-query cached scores as JSONL: a header line, then one QueryScores per line, appended as each query finishes,
// so an interrupted run resumes where it stopped.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { QueryScores } from './cached-scores.js';

/** Everything that shapes the cached scores besides the collection: the models' fingerprints and the settings. */
export type ScoringKey = Record<string, string | number | boolean | null>;

export interface ScoreCacheHeader {
  kind: 'localrag-eval-scores';
  version: 2;
  collection: string;
  /** Candidates (chunks) retrieved per query. */
  k: number;
  /** Cross scores cached for the bi-top maxN. */
  maxN: number;
  /** Documents of retrieval tail per query (0: none). */
  depth: number;
  scoring: ScoringKey;
}

export class ScoreCache {
  private constructor(
    readonly path: string,
    private readonly rows: Map<string, QueryScores>,
    readonly rescoredBecause: string | null,
    /** The N the cached scores were cross-scored for. */
    readonly maxN: number,
  ) {}

  /**
   * Opens or creates the cache; a cut-off last line (crash mid-write) is dropped. A cache made for another
   * collection, K, depth, model or setting, or for a smaller maxN, is not mixed in: it is replaced, and
   * rescoredBecause says why. A cache for a larger maxN serves (maxN then reports its own).
   */
  static async open(path: string, header: Omit<ScoreCacheHeader, 'kind' | 'version'>): Promise<ScoreCache> {
    const full: ScoreCacheHeader = { kind: 'localrag-eval-scores', version: 2, ...header };
    await mkdir(dirname(path), { recursive: true });
    const text = existsSync(path) ? await readFile(path, 'utf8') : '';
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    const [first, ...lines] = complete.split('\n').filter((l) => l.trim());
    const differs = first ? headerDifference(first, full) : null;
    if (!first || differs) {
      await writeFile(path, `${JSON.stringify(full)}\n`);
      return new ScoreCache(path, new Map(), differs, full.maxN);
    }
    if (complete.length < text.length) await truncate(path, Buffer.byteLength(complete));
    const found = JSON.parse(first) as ScoreCacheHeader;
    const rows = new Map<string, QueryScores>();
    for (const line of lines) {
      const row = JSON.parse(line) as QueryScores;
      rows.set(row.queryId, row);
    }
    return new ScoreCache(path, rows, null, found.maxN);
  }
  has(queryId: string): boolean {
    return this.rows.has(queryId);
  }

  get(queryId: string): QueryScores | undefined {
    return this.rows.get(queryId);
  }

  get size(): number {
    return this.rows.size;
  }

  async append(row: QueryScores): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(row)}\n`);
    this.rows.set(row.queryId, row);
  }
}

/** Why a cache header does not fit this run, in words (null when it fits). */
function headerDifference(line: string, want: ScoreCacheHeader): string | null {
  let found: Partial<ScoreCacheHeader>;
  try {
    found = JSON.parse(line) as Partial<ScoreCacheHeader>;
  } catch {
    return 'the cached scores file was unreadable';
  }
  if (found.kind !== want.kind || found.version !== want.version) return 'the cached scores were written by another version';
  const differences: string[] = [];
  for (const key of ['collection', 'k', 'depth'] as const) {
    if (found[key] !== want[key]) differences.push(`${key} ${String(found[key])} (now ${String(want[key])})`);
  }
  // Scores cross-scored for a larger N hold every smaller N's (the same bi top N, first).
  if (!(typeof found.maxN === 'number' && found.maxN >= want.maxN)) differences.push(`maxN ${String(found.maxN)} (now ${want.maxN})`);
  const keys = new Set([...Object.keys(found.scoring ?? {}), ...Object.keys(want.scoring)]);
  for (const key of keys) {
    const was = found.scoring?.[key] ?? null, now = want.scoring[key] ?? null;
    if (was !== now) differences.push(`${key} ${String(was)} (now ${String(now)})`);
  }
  return differences.length ? `the cached scores were made with ${differences.join(', ')}` : null;
}
