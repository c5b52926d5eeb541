// What the CPU can do, for picking the int8 file a model repo offers for it. Read once per process from the OS
// (Linux /proc/cpuinfo; elsewhere only the architecture is known); LOCALRAG_CPU_FLAGS overrides it for tests and
// for users whose OS hides the flags.
import { readFileSync } from 'node:fs';

/** What an int8 file needs of the CPU to run correctly and fast. */
export type CpuNeed = 'avx512_vnni' | 'avx512' | 'avx2' | 'arm64' | 'any';

export interface CpuFeatures {
  arch: string;
  /** Lower-case flag names as /proc/cpuinfo writes them (avx2, avx512bw, avx512_vnni, avx_vnni...). */
  flags: ReadonlySet<string>;
  /** Where the flags came from: the OS, the override, or nothing (flags empty: assume the least). */
  source: 'cpuinfo' | 'override' | 'unknown';
}

let cached: CpuFeatures | null = null;

export function cpuFeatures(env: Record<string, string | undefined> = process.env): CpuFeatures {
  const override = env.LOCALRAG_CPU_FLAGS;
  if (override !== undefined) return { arch: process.arch, flags: parseFlags(override), source: 'override' };
  cached ??= readCpuFeatures();
  return cached;
}

function readCpuFeatures(): CpuFeatures {
  if (process.platform === 'linux') {
    try {
      const line = /^(?:flags|Features)\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
      if (line) return { arch: process.arch, flags: parseFlags(line[1]!), source: 'cpuinfo' };
    } catch { /* no /proc: fall through */ }
  }
  return { arch: process.arch, flags: new Set(), source: 'unknown' };
}

export function parseFlags(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[\s,]+/).filter(Boolean));
}

/**
 * Whether the CPU meets a file's need. VNNI (AVX-512 VNNI or the 256-bit AVX-VNNI) multiplies u8 x s8 into 32-bit
 * sums; without it onnxruntime uses VPMADDUBSW, whose 16-bit intermediate sums saturate on weights quantised to the
 * full int8 range, which is why the non-VNNI files are made with reduce_range. An x64 CPU whose flags are unknown is
 * assumed to have AVX2 (every x64 CPU onnxruntime's prebuilt binaries target since 2013) and nothing more.
 */
export function cpuMeets(cpu: CpuFeatures, need: CpuNeed): boolean {
  const f = cpu.flags;
  switch (need) {
    case 'any': return true;
    case 'arm64': return cpu.arch === 'arm64';
    case 'avx512_vnni': return cpu.arch === 'x64' && (f.has('avx512_vnni') || f.has('avx_vnni'));
    case 'avx512': return cpu.arch === 'x64' && f.has('avx512bw');
    case 'avx2': return cpu.arch === 'x64' && (f.has('avx2') || cpu.source === 'unknown');
  }
}

/** One phrase for logs and the marker: "x64 with avx512_vnni (from /proc/cpuinfo)". */
export function describeCpu(cpu: CpuFeatures): string {
  const known = ['avx512_vnni', 'avx_vnni', 'avx512bw', 'avx2'].filter((f) => cpu.flags.has(f));
  const where = cpu.source === 'cpuinfo' ? 'from /proc/cpuinfo' : cpu.source === 'override' ? 'from LOCALRAG_CPU_FLAGS' : 'flags unknown';
  return `${cpu.arch}${known.length ? ` with ${known.join(', ')}` : ''} (${where})`;
}
