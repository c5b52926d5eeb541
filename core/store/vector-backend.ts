// What the vector index needs from a search structure (flat FAISS or a quantised HNSW graph).
import type { VectorIndexKind } from '../contract/vocabulary.js';

/** One indexed vector: its chunk id and the digest of the vector the structure holds for it. */
export interface IndexedEntry {
  id: number;
  digest: number;
}

export interface VectorBackend {
  readonly kind: VectorIndexKind;
  readonly dim: number;
  readonly size: number;
  add(ids: number[], vectors: Float32Array[]): void;
  remove(chunkIds: number[]): void;
  /** Drops the entries at these positions of the list returned when it was loaded (duplicates, stale vectors). */
  dropPositions(positions: number[]): void;
  search(query: Float32Array, k: number): { chunkId: number; score: number }[];
  /** Writes the saved form to a file (the caller writes aside and renames). */
  writeTo(path: string): void;
  /** Chunk ids held, in storage order. */
  chunkIds(): number[];
  close(): void;
}
