// `localrag doctor`: compares the saved vector index with SQLite vector by vector and repairs what differs.
// SQLite is checked against itself first (each stored digest recomputed from its vector's bytes), then the index
// against SQLite: the flat index by the vectors its file really holds, the HNSW graph by the digests recorded when
// it was built (its file is pinned by sha256; quantised vectors cannot be read back).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VectorCheckReport, VectorIndexFindings } from '../contract/api.js';
import type { Db } from './db.js';
import { vectorDigest } from './vector-digest.js';
import { compareWithStored, loadSaved, storedDigests, VectorIndex, vectorsGeneration, type OpenOptions } from './vector-index.js';

export type { VectorCheckReport } from '../contract/api.js';
type IndexFindings = VectorIndexFindings;

const clean = (f: IndexFindings) => !f.unreadable && f.stale === 0 && f.orphans === 0 && f.duplicates === 0 && f.missing === 0;

function inspect(db: Db, dir: string, dim: number | null): IndexFindings {
  const stored = storedDigests(db);
  const files = ['vectors.ids.json', 'vectors.faiss', 'vectors.usearch'].some((f) => existsSync(join(dir, f)));
  const saved = dim === null ? null : loadSaved(dir, dim);
  if (!saved) {
    return { kind: null, indexed: 0, matched: 0, stale: 0, orphans: 0, duplicates: 0, missing: stored.size, unreadable: files && stored.size > 0 };
  }
  saved.backend.close();
  const c = compareWithStored(saved.entries, stored);
  return {
    kind: saved.backend.kind, indexed: saved.entries.length, matched: c.matched, stale: c.stale, orphans: c.orphans,
    duplicates: c.duplicates, missing: c.missing.length - c.stale, unreadable: false,
  };
}

/** Recomputes every stored vector's digest from its bytes; returns the chunk ids whose recorded digest was wrong. */
function wrongDigests(db: Db): { id: number; digest: number }[] {
  const wrong: { id: number; digest: number }[] = [];
  for (const [id, vector, digest] of db.prepare('SELECT chunk_id, vector, digest FROM vectors').raw().iterate() as IterableIterator<[number, Buffer, number | null]>) {
    const actual = vectorDigest(id, vector);
    if (actual !== digest) wrong.push({ id, digest: actual });
  }
  return wrong;
}

export function checkVectors(db: Db, dir: string, opts: { repair: boolean } & Pick<OpenOptions, 'hnswFrom'>): VectorCheckReport {
  const started = performance.now();
  const first = db.prepare('SELECT length(vector) FROM vectors LIMIT 1').pluck().get() as number | undefined;
  const dim = first === undefined ? null : first / 4;
  const wrong = wrongDigests(db);
  if (opts.repair && wrong.length) {
    const set = db.prepare('UPDATE vectors SET digest = ? WHERE chunk_id = ?');
    db.transaction(() => { for (const w of wrong) set.run(w.digest, w.id); }).immediate();
  }
  const found = inspect(db, dir, dim);
  let after: IndexFindings | null = null;
  let repaired = false;
  if (opts.repair && (!clean(found) || wrong.length)) {
    if (dim === null) VectorIndex.reset(dir);
    else VectorIndex.open(db, dir, dim, { hnswFrom: opts.hnswFrom }).index.close();
    after = inspect(db, dir, dim);
    repaired = true;
  }
  return {
    ok: clean(after ?? found) && (opts.repair || wrong.length === 0), checkOnly: !opts.repair, dim,
    storedVectors: db.prepare('SELECT count(*) FROM vectors').pluck().get() as number, digestsWrong: wrong.length,
    found, repaired, after, generation: vectorsGeneration(db), ms: Math.round(performance.now() - started),
  };
}
