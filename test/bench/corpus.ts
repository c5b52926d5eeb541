// Benchmark corpora from the Cranfield collection in ../shared (real technical prose), and the bench models.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSynthModels } from '../../core/models/synth/index.js';
import { projectRoot, sharedDir } from '../support/temp.js';

export const cranfieldDir = join(sharedDir, 'data', 'cranfield');

/** Cranfield abstracts (title + text), in file order. */
export function cranfieldDocs(): { id: string; title: string; text: string }[] {
  const raw = readFileSync(join(cranfieldDir, 'cran.all.1400'), 'utf8');
  return raw.split(/^\.I /m).slice(1).map((block) => {
    const id = block.split('\n', 1)[0]!.trim();
    const field = (f: string) => (block.match(new RegExp(`^\\.${f}\\n([\\s\\S]*?)(?=^\\.[A-Z]\\n|$(?![\\s\\S]))`, 'm'))?.[1] ?? '').trim();
    return { id, title: field('T'), text: field('W') };
  });
}

export function cranfieldQueries(): string[] {
  const raw = readFileSync(join(cranfieldDir, 'cran.qry'), 'utf8');
  return raw.split(/^\.I /m).slice(1).map((b) => b.replace(/^.*\n\.W\n/, '').replace(/\s+/g, ' ').trim());
}

export async function benchModels(): Promise<{ modelsDir: string; embedderDir: string; crossEncoderDir: string }> {
  const modelsDir = process.env.LOCALRAG_BENCH_MODELS ?? join(projectRoot, '.cache', 'models');
  return { modelsDir, ...(await ensureSynthModels({ modelsDir, preset: 'bench' })) };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
