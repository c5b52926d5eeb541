// Benchmark corpora from the Cranfield collection in ../shared (real technical prose), and the bench models.
import { join } from 'node:path';
import { loadCollection } from '../../core/eval/index.js';
import { ensureSynthModels } from '../../core/models/synth/index.js';
import { projectRoot, sharedDir } from '../support/temp.js';

export const cranfieldDir = join(sharedDir, 'data', 'cranfield');

/** The Cranfield collection through the evaluation workbench's own SMART loader. */
const cranfield = await loadCollection(cranfieldDir);

/** Cranfield abstracts (title + text), in file order. */
export function cranfieldDocs(): { id: string; title?: string; text: string }[] {
  return cranfield.docs;
}

/** Cranfield query texts, in file order. */
export function cranfieldQueries(): string[] {
  return cranfield.queries.map((q) => q.text);
}

/** Where the benchmarks' synthesised models live (never a user's models folder: they carry real models' names). */
export const benchModelsDir = process.env.LOCALRAG_BENCH_MODELS ?? join(projectRoot, '.cache', 'models');

export async function benchModels(): Promise<{ modelsDir: string; embedderDir: string; crossEncoderDir: string }> {
  const modelsDir = benchModelsDir;
  return { modelsDir, ...(await ensureSynthModels({ modelsDir, preset: 'bench' })) };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
