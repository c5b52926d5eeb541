// Exact inner-product search with FAISS's flat index, for collections below the approximate index's threshold.
// faiss-node has no add_with_ids, so the position -> chunk id map is ours; the vectors are read back from the saved
// file (IndexFlat keeps raw float32 rows), so what the index really holds can be compared with SQLite by content.
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import faiss from 'faiss-node';
import { vectorDigest } from './vector-digest.js';
import type { IndexedEntry, VectorBackend } from './vector-backend.js';

const ADD_BATCH = 4096;
/** IndexFlat file: fourcc, d (i32), ntotal (i64), two dummies (i64), is_trained (u8), metric (i32), then the float count (u64) and the rows. */
const FLAT_HEADER_BYTES = 4 + 4 + 8 + 8 + 8 + 1 + 4 + 8;

export class FlatBackend implements VectorBackend {
  readonly kind = 'flat' as const;
  private index: faiss.IndexFlatIP;
  /** ids[position] = chunk id */
  private ids: number[] = [];

  constructor(readonly dim: number, index?: faiss.IndexFlatIP, ids: number[] = []) {
    this.index = index ?? new faiss.IndexFlatIP(dim);
    this.ids = ids;
  }

  get size(): number { return this.ids.length; }

  /** Loads a saved index and returns, per position, its chunk id and the digest of the vector the file holds there. */
  static load(path: string, dim: number, ids: number[]): { backend: FlatBackend; entries: IndexedEntry[] } {
    const index = faiss.IndexFlatIP.read(path);
    if (index.getDimension() !== dim || index.ntotal() !== ids.length) throw new Error('index and id map disagree');
    return { backend: new FlatBackend(dim, index, ids), entries: flatFileDigests(path, dim, ids) };
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
      for (let i = start; i < end; i++) this.ids.push(ids[i]!);
    }
  }

  /** Drops positions; removeIds compacts the flat index, shifting later positions down, and the map follows. */
  dropPositions(positions: number[]): void {
    if (positions.length === 0) return;
    this.index.removeIds(positions);
    const gone = new Set(positions);
    this.ids = this.ids.filter((_, pos) => !gone.has(pos));
  }

  remove(chunkIds: number[]): void {
    const gone = new Set(chunkIds);
    const positions: number[] = [];
    this.ids.forEach((id, pos) => { if (gone.has(id)) positions.push(pos); });
    this.dropPositions(positions);
  }

  search(query: Float32Array, k: number): { chunkId: number; score: number }[] {
    const n = Math.min(k, this.ids.length);
    if (n === 0) return [];
    const { labels, distances } = this.index.search(Array.from(query), n);
    return labels.flatMap((pos, i) => (pos >= 0 ? [{ chunkId: this.ids[pos]!, score: distances[i]! }] : []));
  }

  /** Written through Node (toBuffer), because faiss-node's own write() aborts the process on an I/O error. */
  writeTo(path: string): void { writeFileSync(path, this.index.toBuffer()); }

  chunkIds(): number[] { return [...this.ids]; }

  close(): void { /* freed with the object */ }
}

/** Digests of the rows a saved IndexFlat file holds, read in slices so a large file never sits in memory twice. */
export function flatFileDigests(path: string, dim: number, ids: number[]): IndexedEntry[] {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(FLAT_HEADER_BYTES);
    readSync(fd, header, 0, FLAT_HEADER_BYTES, 0);
    const floats = Number(header.readBigUInt64LE(FLAT_HEADER_BYTES - 8));
    if (header.toString('latin1', 0, 4) !== 'IxFI' || header.readInt32LE(4) !== dim || floats !== ids.length * dim) {
      throw new Error('not a flat inner-product index of the expected size');
    }
    const rowBytes = dim * 4;
    const rowsPerRead = Math.max(1, Math.floor((4 << 20) / rowBytes));
    const buf = Buffer.alloc(rowsPerRead * rowBytes);
    const entries: IndexedEntry[] = [];
    for (let row = 0; row < ids.length; row += rowsPerRead) {
      const n = Math.min(rowsPerRead, ids.length - row);
      const got = readSync(fd, buf, 0, n * rowBytes, FLAT_HEADER_BYTES + row * rowBytes);
      if (got !== n * rowBytes) throw new Error('index file is shorter than its header says');
      for (let i = 0; i < n; i++) {
        const id = ids[row + i]!;
        entries.push({ id, digest: vectorDigest(id, buf.subarray(i * rowBytes, (i + 1) * rowBytes)) });
      }
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}
