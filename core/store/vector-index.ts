// Dense vectors: SQLite keeps every vector by chunk id with a digest of its content (the truth, and what the
// reranker reads back); a derived index (flat FAISS, or a quantised HNSW graph for large collections) answers top-K.
// The index is trusted only as far as it provably matches SQLite: at open, and whenever another process changed
// the vectors (a generation counter in SQLite), it is compared digest by digest and patched or rebuilt.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VectorIndexKind } from '../contract/vocabulary.js';
import { getMeta, setMeta, type Db } from './db.js';
import { diskFull, isDiskFull } from './store-errors.js';
import { FlatBackend } from './flat-index.js';
import { HnswBackend, HNSW_FILE } from './hnsw-index.js';
import type { IndexedEntry, VectorBackend } from './vector-backend.js';
import { vectorDigest } from './vector-digest.js';

const ADD_BATCH = 4096;
const MANIFEST_FORMAT = 2;
/** From this many vectors on, a quantised HNSW graph replaces exact search (exact search grows linearly). */
export const HNSW_FROM = Number(process.env.LOCALRAG_HNSW_FROM ?? 200_000);
/** Back to exact search only well below the threshold, so a collection near it does not flip back and forth. */
const FLAT_BELOW_FRACTION = 0.5;
/** Vectors added per slice of a background rebuild: each slice blocks the event loop for a fraction of a second. */
const REBUILD_SLICE = 512;

export const vectorToBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const blobToVector = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Stores vectors with their digests in one IMMEDIATE transaction (a second writer waits instead of failing). */
export function storeVectors(db: Db, ids: number[], vectors: Float32Array[]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO vectors(chunk_id, vector, digest) VALUES (?, ?, ?)');
  db.transaction(() => ids.forEach((id, i) => {
    const v = vectors[i]!;
    insert.run(id, vectorToBlob(v), vectorDigest(id, v));
  })).immediate();
}

/** Stored vectors by chunk id (the reranker's bi scores come from these, never from re-encoding). */
export function readVectors(db: Db, ids: number[]): Map<number, Float32Array> {
  if (ids.length === 0) return new Map();
  const rows = db.prepare('SELECT chunk_id, vector FROM vectors WHERE chunk_id IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(ids)) as { chunk_id: number; vector: Buffer }[];
  return new Map(rows.map((r) => [r.chunk_id, blobToVector(r.vector)]));
}

export function chunksWithoutVectors(db: Db, limit: number): { id: number; text: string }[] {
  return db.prepare(`SELECT c.id, c.text FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id
    WHERE v.chunk_id IS NULL ORDER BY c.id LIMIT ?`).all(limit) as { id: number; text: string }[];
}

export function countChunksWithoutVectors(db: Db): number {
  return db.prepare('SELECT count(*) FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id WHERE v.chunk_id IS NULL').pluck().get() as number;
}

/** Bumped by triggers on every insert, update and delete of a stored vector, in any process. */
export function vectorsGeneration(db: Db): number {
  return Number(getMeta(db, 'vectors_generation') ?? 0);
}

/** chunk id -> digest of every stored vector (a row without a digest gets one computed from its blob). */
export function storedDigests(db: Db): Map<number, number> {
  const out = new Map<number, number>();
  const missing: number[] = [];
  for (const [id, digest] of db.prepare('SELECT chunk_id, digest FROM vectors').raw().iterate() as IterableIterator<[number, number | null]>) {
    if (digest === null) missing.push(id);
    else out.set(id, digest);
  }
  for (let i = 0; i < missing.length; i += ADD_BATCH) {
    const batch = missing.slice(i, i + ADD_BATCH);
    for (const [id, v] of readVectors(db, batch)) out.set(id, vectorDigest(id, v));
  }
  return out;
}

/** The stored vectors and the generation they belong to, read in one snapshot. */
function snapshot(db: Db): { generation: number; stored: Map<number, number> } {
  return db.transaction(() => ({ generation: vectorsGeneration(db), stored: storedDigests(db) }))();
}

export interface RepairReport {
  /** Indexed vectors whose chunk is gone or that appear twice. */
  orphansRemoved: number;
  /** Indexed vectors that differ from the vector SQLite holds for the same chunk id. */
  staleReplaced: number;
  /** Stored vectors that were missing from the index and were added. */
  missingAdded: number;
  rebuilt: boolean;
}

/** How the saved index compares with SQLite, vector by vector. */
export interface Comparison {
  matched: number;
  /** Positions to drop: chunk gone (orphan), vector differs (stale) or a second copy (duplicate). */
  drop: number[];
  orphans: number;
  stale: number;
  duplicates: number;
  /** Stored chunk ids the index lacks (stale ones included: they are re-added). */
  missing: number[];
}

export function compareWithStored(entries: IndexedEntry[], stored: Map<number, number>): Comparison {
  const kept = new Set<number>();
  const c: Comparison = { matched: 0, drop: [], orphans: 0, stale: 0, duplicates: 0, missing: [] };
  entries.forEach((e, pos) => {
    const want = stored.get(e.id);
    if (want === undefined) { c.orphans++; c.drop.push(pos); } else if (want !== e.digest) { c.stale++; c.drop.push(pos); } else if (kept.has(e.id)) { c.duplicates++; c.drop.push(pos); } else { kept.add(e.id); c.matched++; }
  });
  for (const id of stored.keys()) if (!kept.has(id)) c.missing.push(id);
  return c;
}

interface Manifest {
  format: number;
  dim: number;
  kind: VectorIndexKind;
  /** The vectors generation this file matched when it was written. */
  generation: number;
  /** sha256 of the index file; the approximate index's vectors cannot be read back, so its file is pinned. */
  fileSha256: string;
  /** Chunk id and digest of each indexed vector, in the index's order (positions, for the flat index). */
  ids: number[];
  digests: number[];
}

export interface OpenOptions {
  /** Vector count from which the HNSW graph is used (default HNSW_FROM). */
  hnswFrom?: number;
  /** Reconcile in memory only, never rewriting the saved files (reads: a read never writes). */
  inspectOnly?: boolean;
}

export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

const fileOf = (kind: VectorIndexKind) => (kind === 'flat' ? 'vectors.faiss' : HNSW_FILE);
const MANIFEST_FILE = 'vectors.ids.json';

/** A saved index with what it holds, per position; null when there is none or it cannot be trusted at all. */
export function loadSaved(dir: string, dim: number): { backend: VectorBackend; entries: IndexedEntry[]; manifest: Manifest } | null {
  try {
    const manifestPath = join(dir, MANIFEST_FILE);
    if (!existsSync(manifestPath)) return null;
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (m.format !== MANIFEST_FORMAT || m.dim !== dim || !Array.isArray(m.ids) || !Array.isArray(m.digests) || m.ids.length !== m.digests.length) return null;
    const path = join(dir, fileOf(m.kind));
    if (!existsSync(path)) return null;
    if (m.kind === 'flat') {
      // The flat file holds the raw vectors: digests come from its content, so a shuffled id map shows.
      const { backend, entries } = FlatBackend.load(path, dim, m.ids);
      return { backend, entries, manifest: m };
    }
    if (sha256File(path) !== m.fileSha256) return null;
    const backend = HnswBackend.load(path, dim, m.ids);
    return { backend, entries: m.ids.map((id, i) => ({ id, digest: m.digests[i]! })), manifest: m };
  } catch {
    return null; // unreadable or torn files: rebuilt from SQLite
  }
}

export class VectorIndex {
  /** chunk id -> digest of the vector the index holds for it. */
  private digestOf = new Map<number, number>();
  private syncedGeneration = -1;
  private dirty = false;
  private closed = false;
  private building: Promise<void> | null = null;

  private constructor(
    private readonly db: Db,
    private readonly dir: string,
    readonly dim: number,
    private backend: VectorBackend,
    private readonly hnswFrom: number,
  ) {}

  get size(): number { return this.backend.size; }
  get kind(): VectorIndexKind { return this.backend.kind; }
  get generation(): number { return this.syncedGeneration; }

  /** Opens the saved index and makes it equal to SQLite vector by vector: stale, orphaned or missing vectors are fixed. */
  static open(db: Db, dir: string, dim: number, opts: OpenOptions = {}): { index: VectorIndex; repair: RepairReport } {
    const hnswFrom = opts.hnswFrom ?? HNSW_FROM;
    const saved = loadSaved(dir, dim);
    const { generation, stored } = snapshot(db);
    // A saved index of either kind is kept (a writer moves it to the other kind in the background, see save);
    // without one, the kind that fits the collection is built now.
    const rebuilt = !saved;
    const backend = saved ? saved.backend : newBackend(chooseKind(stored.size, 'flat', hnswFrom), dim);
    const vi = new VectorIndex(db, dir, dim, backend, hnswFrom);
    const entries = rebuilt ? [] : saved.entries;
    const c = compareWithStored(entries, stored);
    backend.dropPositions(c.drop);
    const dropped = new Set(c.drop);
    entries.forEach((e, pos) => { if (!dropped.has(pos)) vi.digestOf.set(e.id, e.digest); });
    vi.addFromStore(c.missing, stored);
    vi.syncedGeneration = generation;
    const repair: RepairReport = { orphansRemoved: c.orphans + c.duplicates, staleReplaced: c.stale, missingAdded: c.missing.length - c.stale, rebuilt };
    if (rebuilt || c.drop.length || c.missing.length) vi.dirty = true;
    if (vi.dirty && !opts.inspectOnly) vi.save();
    return { index: vi, repair };
  }

  /** Reads stored vectors in batches and adds them. */
  private addFromStore(ids: number[], stored: Map<number, number>): void {
    for (let i = 0; i < ids.length; i += ADD_BATCH) {
      const batch = ids.slice(i, i + ADD_BATCH);
      const vectors = readVectors(this.db, batch);
      const present = batch.filter((id) => vectors.has(id));
      this.backend.add(present, present.map((id) => vectors.get(id)!));
      for (const id of present) this.digestOf.set(id, stored.get(id) ?? vectorDigest(id, vectors.get(id)!));
    }
    if (ids.length) this.dirty = true;
  }

  /**
   * Catches up with changes made since the last sync, by this process or another one (a running `serve` sees
   * what a CLI `index` added): cheap when nothing changed (one meta read), a digest comparison otherwise.
   */
  refresh(): RepairReport | null {
    if (this.closed || vectorsGeneration(this.db) === this.syncedGeneration) return null;
    const { generation, stored } = snapshot(this.db);
    const gone: number[] = [];
    let stale = 0;
    for (const [id, digest] of this.digestOf) {
      const want = stored.get(id);
      if (want === digest) continue;
      gone.push(id);
      if (want !== undefined) stale++;
    }
    if (gone.length) {
      this.backend.remove(gone);
      for (const id of gone) this.digestOf.delete(id);
      this.dirty = true;
    }
    const missing = [...stored.keys()].filter((id) => !this.digestOf.has(id));
    this.addFromStore(missing, stored);
    this.syncedGeneration = generation;
    return { orphansRemoved: gone.length - stale, staleReplaced: stale, missingAdded: missing.length - stale, rebuilt: false };
  }

  /** Adds vectors just stored in SQLite (storeVectors); their digests are the ones SQLite keeps. */
  add(ids: number[], vectors: Float32Array[]): void {
    if (ids.length === 0) return;
    const fresh: number[] = [];
    const freshVectors: Float32Array[] = [];
    ids.forEach((id, i) => {
      const digest = vectorDigest(id, vectors[i]!);
      if (this.digestOf.get(id) === digest) return;
      if (this.digestOf.has(id)) this.backend.remove([id]);
      this.digestOf.set(id, digest);
      fresh.push(id);
      freshVectors.push(vectors[i]!);
    });
    this.backend.add(fresh, freshVectors);
    this.dirty = true;
  }

  remove(chunkIds: number[]): void {
    const present = chunkIds.filter((id) => this.digestOf.has(id));
    if (present.length === 0) return;
    this.backend.remove(present);
    for (const id of present) this.digestOf.delete(id);
    this.dirty = true;
  }

  search(query: Float32Array, k: number): { chunkId: number; score: number }[] {
    return this.backend.search(query, k);
  }

  /**
   * Writes the index aside and renames it into place, after catching up with SQLite, so what is saved always
   * matches the stored vectors of one generation. A process that finds a newer save by another leaves it alone.
   */
  save(): void {
    if (this.closed) return;
    this.refresh();
    this.maybeChangeKind();
    const manifestPath = join(this.dir, MANIFEST_FILE);
    if (!this.dirty && existsSync(manifestPath)) return;
    const savedGeneration = Number(getMeta(this.db, 'vectors_saved_generation') ?? -1);
    if (savedGeneration > this.syncedGeneration) return;
    const path = join(this.dir, fileOf(this.backend.kind));
    const tmp = `${path}.tmp`;
    const manifestTmp = `${manifestPath}.tmp`;
    try {
      this.backend.writeTo(tmp);
      const ids = this.backend.chunkIds();
      const manifest: Manifest = {
        format: MANIFEST_FORMAT, dim: this.dim, kind: this.backend.kind, generation: this.syncedGeneration,
        fileSha256: this.backend.kind === 'flat' ? '' : sha256File(tmp), ids, digests: ids.map((id) => this.digestOf.get(id)!),
      };
      writeFileSync(manifestTmp, JSON.stringify(manifest));
      renameSync(tmp, path);
      renameSync(manifestTmp, manifestPath);
    } catch (err) {
      // Judged while the partial file is still there: removing it frees the space that shows the disk is full.
      throw isDiskFull(err, this.dir) ? diskFull(this.dir, 'saving the vector index', [err]) : err;
    } finally {
      // Never a 0-byte or partial file left behind (after a success both were renamed away).
      for (const f of [tmp, manifestTmp]) {
        try { rmSync(f, { force: true }); } catch { /* the next save writes over it */ }
      }
    }
    for (const kind of ['flat', 'hnsw'] as const) if (kind !== this.backend.kind) rmSync(join(this.dir, fileOf(kind)), { force: true });
    setMeta(this.db, 'vectors_saved_generation', String(this.syncedGeneration));
    this.dirty = false;
  }

  /**
   * Past the threshold the collection moves to the HNSW graph (and back to exact search well below it). The new
   * structure is built in the background, in slices between which searches run on the current one; when it is
   * complete it catches up with whatever changed meanwhile, replaces the current one and is saved.
   */
  private maybeChangeKind(): void {
    const kind = chooseKind(this.digestOf.size, this.backend.kind, this.hnswFrom);
    if (kind === this.backend.kind || this.building) return;
    this.building = this.rebuildAs(kind).finally(() => { this.building = null; });
  }

  private async rebuildAs(kind: VectorIndexKind): Promise<void> {
    const next = newBackend(kind, this.dim);
    const digests = new Map<number, number>();
    const ids = [...this.digestOf.keys()];
    for (let i = 0; i < ids.length; i += REBUILD_SLICE) {
      await new Promise((r) => setImmediate(r));
      if (this.closed) { next.close(); return; }
      const batch = ids.slice(i, i + REBUILD_SLICE);
      const vectors = readVectors(this.db, batch);
      const present = batch.filter((id) => vectors.has(id));
      next.add(present, present.map((id) => vectors.get(id)!));
      for (const id of present) digests.set(id, vectorDigest(id, vectors.get(id)!));
    }
    if (this.closed) { next.close(); return; }
    this.backend.close();
    this.backend = next;
    this.digestOf = digests;
    this.syncedGeneration = -1; // compare everything with SQLite once: vectors may have changed during the build
    this.dirty = true;
    this.save();
  }

  /** Resolves when no background rebuild is running (index runs wait for it, so a switch of kind completes). */
  async settled(): Promise<void> {
    while (this.building) await this.building;
  }

  /** Drops every saved index file (the stored vectors were cleared for re-embedding). */
  static reset(dir: string): void {
    for (const f of [MANIFEST_FILE, fileOf('flat'), fileOf('hnsw')]) rmSync(join(dir, f), { force: true });
  }

  chunkIds(): number[] { return this.backend.chunkIds(); }

  close(): void {
    this.closed = true;
    this.backend.close();
  }
}

function chooseKind(count: number, current: VectorIndexKind, hnswFrom: number): VectorIndexKind {
  if (count >= hnswFrom) return 'hnsw';
  if (current === 'hnsw' && count >= hnswFrom * FLAT_BELOW_FRACTION) return 'hnsw';
  return 'flat';
}

function newBackend(kind: VectorIndexKind, dim: number): VectorBackend {
  return kind === 'flat' ? new FlatBackend(dim) : new HnswBackend(dim);
}
