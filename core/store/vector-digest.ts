// A digest of one stored vector together with its chunk id. SQLite keeps it beside each vector and the FAISS
// manifest keeps it per indexed vector, so "FAISS holds the same vectors as SQLite" is checked by content, not by
// counts: a stale vector under an id, a shuffled id map or a torn file all change some digest.

const M1 = 0x9e3779b1;
const M2 = 0x85ebca77;
const M3 = 0xc2b2ae35;

/** murmur3's finaliser: every input bit flips about half the output bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, M2);
  h ^= h >>> 13;
  h = Math.imul(h, M3);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * 52-bit digest (a safe integer, so it round-trips through SQLite INTEGER and JSON) of a chunk id and the exact
 * float32 bytes of its vector. Two independent 32-bit lanes; not cryptographic, it guards against accidents.
 */
export function vectorDigest(chunkId: number, vector: Float32Array | Uint8Array): number {
  const bytes = vector instanceof Uint8Array ? vector : new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  const words = bytes.byteOffset % 4 === 0
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2)
    : new Uint32Array(bytes.slice().buffer, 0, bytes.byteLength >>> 2);
  const hi = Math.floor(chunkId / 2 ** 32) >>> 0;
  let a = fmix32((chunkId >>> 0) ^ M1) ^ hi;
  let b = fmix32(((chunkId >>> 0) + M3) >>> 0) ^ fmix32(hi + words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    a = Math.imul(a ^ w, M1);
    a = (a << 13) | (a >>> 19);
    b = Math.imul(b + w, M2) ^ (b >>> 15);
  }
  return fmix32(a ^ words.length) + (fmix32(b ^ a) & 0xfffff) * 2 ** 32;
}
