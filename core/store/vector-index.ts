// Dense vectors: SQLite keeps every vector by chunk id (the truth, and what the reranker reads back); FAISS keeps
// a flat inner-product index of the same vectors for top-K search. faiss-node has no add_with_ids, so we keep
// the position -> chunk id map ourselves, persisted beside the index, and reconcile the two at start-up.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import faiss from 'faiss-node';
import type { Db } from './db.js';

const ADD_BATCH = 4096;

export const vectorToBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
export const blobToVector = (b: Buffer): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export function storeVectors(db: Db, ids: number[], vectors: Float32Array[]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO vectors(chunk_id, vector) VALUES (?, ?)');
  db.transaction(() => ids.forEach((id, i) => insert.run(id, vectorToBlob(vectors[i]!))))();
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

export interface RepairReport {
  /** Positions dropped because their chunk is gone or appears twice. */
  orphansRemoved: number;
  /** Stored vectors that were missing from FAISS and were added. */
  missingAdded: number;
  rebuilt: boolean;
}

export class VectorIndex {
  private index: faiss.IndexFlatIP;
  /** ids[position] = chunk id */
  private ids: number[] = [];
  private positionOf = new Map<number, number>();
  private dirty = false;

  private constructor(private readonly dir: string, readonly dim: number) {
    this.index = new faiss.IndexFlatIP(dim);
  }

  private get indexPath() { return join(this.dir, 'vectors.faiss'); }
  private get idsPath() { return join(this.dir, 'vectors.ids.json'); }

  get size(): number { return this.ids.length; }

  /** Opens the persisted index and makes it agree with SQLite: same chunk ids, no duplicates, no orphans. */
  static open(db: Db, dir: string, dim: number): { index: VectorIndex; repair: RepairReport } {
    const vi = new VectorIndex(dir, dim);
    let rebuilt = false;
    try {
      if (existsSync(vi.indexPath) && existsSync(vi.idsPath)) {
        const saved = JSON.parse(readFileSync(vi.idsPath, 'utf8')) as { dim: number; ids: number[] };
        const index = faiss.IndexFlatIP.fromBuffer(readFileSync(vi.indexPath));
        if (saved.dim === dim && index.getDimension() === dim && index.ntotal() === saved.ids.length) {
          vi.index = index;
          vi.ids = saved.ids;
        } else rebuilt = true;
      }
    } catch {
      rebuilt = true; // unreadable or torn files: rebuilt from SQLite below
    }
    const repair = vi.reconcile(db);
    if (rebuilt || repair.orphansRemoved || repair.missingAdded) vi.save();
    return { index: vi, repair: { ...repair, rebuilt } };
  }

  private reindexPositions(): void {
    this.positionOf = new Map(this.ids.map((id, pos) => [id, pos]));
  }

  private reconcile(db: Db): RepairReport {
    const stored = new Set(db.prepare('SELECT chunk_id FROM vectors').pluck().all() as number[]);
    const seen = new Set<number>();
    const drop: number[] = [];
    this.ids.forEach((id, pos) => {
      if (!stored.has(id) || seen.has(id)) drop.push(pos);
      else seen.add(id);
    });
    if (drop.length) this.removePositions(drop);
    this.reindexPositions();
    const missing = [...stored].filter((id) => !this.positionOf.has(id));
    for (let i = 0; i < missing.length; i += ADD_BATCH) {
      const batch = missing.slice(i, i + ADD_BATCH);
      const vectors = readVectors(db, batch);
      this.add(batch, batch.map((id) => vectors.get(id)!));
    }
    return { orphansRemoved: drop.length, missingAdded: missing.length, rebuilt: false };
  }

  add(ids: number[], vectors: Float32Array[]): void {
    for (let start = 0; start < ids.length; start += ADD_BATCH) {
      const end = Math.min(ids.length, start + ADD_BATCH);
      const flat = new Array<number>((end - start) * this.dim);
      for (let i = start; i < end; i++) {
        const v = vectors[i]!;
        if (v.length !== this.dim) throw new Error(`vector of dimension ${v.length} for an index of ${this.dim}`);
        for (let d = 0; d < this.dim; d++) flat[(i - start) * this.dim + d] = v[d]!;
      }
      this.index.add(flat);
      for (let i = start; i < end; i++) {
        this.positionOf.set(ids[i]!, this.ids.length);
        this.ids.push(ids[i]!);
      }
    }
    if (ids.length) this.dirty = true;
  }

  remove(chunkIds: number[]): void {
    const positions = chunkIds.flatMap((id) => this.positionOf.get(id) ?? []);
    if (positions.length === 0) return;
    this.removePositions(positions);
    this.reindexPositions();
  }

  private removePositions(positions: number[]): void {
    // removeIds compacts the flat index, shifting later positions down: mirror that in our map.
    this.index.removeIds(positions);
    const gone = new Set(positions);
    this.ids = this.ids.filter((_, pos) => !gone.has(pos));
    this.dirty = true;
  }

  search(query: Float32Array, k: number): { chunkId: number; score: number }[] {
    const n = Math.min(k, this.ids.length);
    if (n === 0) return [];
    const { labels, distances } = this.index.search(Array.from(query), n);
    return labels.flatMap((pos, i) => (pos >= 0 ? [{ chunkId: this.ids[pos]!, score: distances[i]! }] : []));
  }

  /**
   * Atomic enough for kill -9: each file is written aside and renamed; a torn pair is detected and rebuilt.
   * Written through Node (toBuffer) because faiss-node's own write() aborts the process on an I/O error.
   */
  save(): void {
    if (!this.dirty && existsSync(this.indexPath)) return;
    const tmpIndex = `${this.indexPath}.tmp`;
    const tmpIds = `${this.idsPath}.tmp`;
    writeFileSync(tmpIndex, this.index.toBuffer());
    writeFileSync(tmpIds, JSON.stringify({ dim: this.dim, ids: this.ids }));
    renameSync(tmpIndex, this.indexPath);
    renameSync(tmpIds, this.idsPath);
    this.dirty = false;
  }

  /** Drops every vector (the embedder changed): SQLite rows are cleared by the caller. */
  static reset(dir: string): void {
    for (const f of ['vectors.faiss', 'vectors.ids.json']) rmSync(join(dir, f), { force: true });
  }

  chunkIds(): readonly number[] { return this.ids; }
}
