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
