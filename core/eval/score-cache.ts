// Per-query cached scores as JSONL: a header line, then one QueryScores per line, appended as each query finishes,
// so an interrupted run resumes where it stopped.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EvalError } from './collection.js';
import type { QueryScores } from './cached-scores.js';

export interface ScoreCacheHeader {
  kind: 'localrag-eval-scores';
  version: 1;
  collection: string;
  /** Candidates retrieved per query. */
  k: number;
  /** Cross scores cached for the bi-top maxN. */
  maxN: number;
}

export class ScoreCache {
  private constructor(readonly path: string, private readonly rows: Map<string, QueryScores>) {}

  /** Opens or creates the cache; a cut-off last line (crash mid-write) is dropped; another run's cache is refused. */
  static async open(path: string, header: Omit<ScoreCacheHeader, 'kind' | 'version'>): Promise<ScoreCache> {
    const full: ScoreCacheHeader = { kind: 'localrag-eval-scores', version: 1, ...header };
    await mkdir(dirname(path), { recursive: true });
    const text = existsSync(path) ? await readFile(path, 'utf8') : '';
    if (!text.trim()) {
      await writeFile(path, `${JSON.stringify(full)}\n`);
      return new ScoreCache(path, new Map());
    }
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length < text.length) await truncate(path, Buffer.byteLength(complete));
    const [first, ...lines] = complete.split('\n').filter((l) => l.trim());
    const found = first ? (JSON.parse(first) as Partial<ScoreCacheHeader>) : {};
    const same = (['kind', 'version', 'collection', 'k', 'maxN'] as const).every((key) => found[key] === full[key]);
    if (!same) {
      throw new EvalError('eval-cache-mismatch',
        `The cached scores in ${path} belong to another run (${found.collection ?? '?'}, k=${found.k ?? '?'}, maxN=${found.maxN ?? '?'}).`,
        'Delete that file to rescore, or choose another output folder.');
    }
    const rows = new Map<string, QueryScores>();
    for (const line of lines) {
      const row = JSON.parse(line) as QueryScores;
      rows.set(row.queryId, row);
    }
    return new ScoreCache(path, rows);
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
