// The tiny synthesised models every engine test uses (cached under .cache/test-models).
import { join } from 'node:path';
import { ensureSynthModels } from '../../core/models/synth/index.js';
import type { Settings } from '../../core/contract/settings.js';
import { projectRoot } from './temp.js';

export const testModelsDir = join(projectRoot, '.cache', 'test-models');

export const TINY_MODELS: Partial<Settings> = { embedderModel: 'tiny-embedder', crossEncoderModel: 'tiny-cross-encoder' };

export async function tinyModels(): Promise<{ modelsDir: string; embedderDir: string; crossEncoderDir: string }> {
  return { modelsDir: testModelsDir, ...(await ensureSynthModels({ modelsDir: testModelsDir, preset: 'tiny' })) };
}

/** A tiny embedder under `id` with weights from `seed`: a second seed under the same id is "new weights". */
export async function synthTinyEmbedder(modelsDir: string, id: string, seed: number): Promise<string> {
  const { synthesiseModel } = await import('../../core/models/synth/index.js');
  const { rmSync } = await import('node:fs');
  const dir = join(modelsDir, id);
  rmSync(dir, { recursive: true, force: true });
  await synthesiseModel({ role: 'embedder', preset: 'tiny', seed, outDir: dir, quantized: false });
  return dir;
}
