// Seeded random numbers for synthesised weights: same seed, same bytes, on every machine and Node version.
// mulberry32 is tiny, fast and good enough for initialisation noise (not for cryptography).

export type Uniform = () => number;

/** A uniform generator on [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Uniform {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `out` with normal(0, std) samples, two per Box-Muller draw. */
export function fillNormal(out: Float32Array, std: number, uniform: Uniform): Float32Array {
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    // 1 - u keeps the log argument in (0, 1], never log(0).
    const r = Math.sqrt(-2 * Math.log(1 - uniform())) * std;
    const theta = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/** `count` normal(0, std) samples. */
export function normals(count: number, std: number, uniform: Uniform): Float32Array {
  return fillNormal(new Float32Array(count), std, uniform);
}
