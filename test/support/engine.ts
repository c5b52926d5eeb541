// An engine on a fresh store with the tiny models, its settings saved so a CLI child process sees them too.
import { createEngine, type Engine, type EngineOptions } from '../../core/engine.js';
import type { Settings } from '../../core/contract/settings.js';
import { testModelsDir, tinyModels, TINY_MODELS } from './models.js';

export async function tinyEngine(storeDir: string, extra: Partial<EngineOptions> = {}, settings: Partial<Settings> = {}): Promise<Engine> {
  await tinyModels();
  const engine = await createEngine({ storeDir, modelsDir: testModelsDir, ...extra });
  await engine.updateSettings({ ...TINY_MODELS, executionProvider: 'cpu', ...settings });
  return engine;
}
