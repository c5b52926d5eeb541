// The tiny synthesised models every engine test uses (cached under .cache/test-models), and an engine on them.
import { join } from 'node:path';
import { ensureSynthModels } from '../../core/models/synth/index.js';
import { createEngine, type Engine, type EngineOptions } from '../../core/engine.js';
import type { Settings } from '../../core/contract/settings.js';
import { projectRoot } from './temp.js';

export const testModelsDir = join(projectRoot, '.cache', 'test-models');

export const TINY_MODELS: Partial<Settings> = { embedderModel: 'tiny-embedder', crossEncoderModel: 'tiny-cross-encoder' };

export async function tinyModels(): Promise<{ modelsDir: string; embedderDir: string; crossEncoderDir: string }> {
  return { modelsDir: testModelsDir, ...(await ensureSynthModels({ modelsDir: testModelsDir, preset: 'tiny' })) };
}

/** An engine on a fresh store with the tiny models, its settings saved so a CLI child process sees them too. */
export async function tinyEngine(storeDir: string, extra: Partial<EngineOptions> = {}, settings: Partial<Settings> = {}): Promise<Engine> {
  await tinyModels();
  const engine = await createEngine({ storeDir, modelsDir: testModelsDir, ...extra });
  await engine.updateSettings({ ...TINY_MODELS, executionProvider: 'cpu', ...settings });
  return engine;
}
