// Opens an engine for a CLI command from the common options.
import type { Settings } from '../contract/settings.js';
import { createEngine, type Engine } from '../engine.js';
import { modelsDirOf, storeDirOf } from './args.js';

export async function openEngine(values: { store?: string | boolean; models?: string | boolean; provider?: string | boolean; embedder?: string | boolean; 'cross-encoder'?: string | boolean; quiet?: boolean }, overrides: Partial<Settings> = {}, extra: { watch?: boolean; maxFileBytes?: number } = {}): Promise<Engine> {
  const o: Partial<Settings> = { ...overrides };
  if (typeof values.provider === 'string') o.executionProvider = values.provider as Settings['executionProvider'];
  if (typeof values.embedder === 'string') o.embedderModel = values.embedder;
  if (typeof values['cross-encoder'] === 'string') o.crossEncoderModel = values['cross-encoder'];
  return createEngine({
    storeDir: storeDirOf(values), modelsDir: modelsDirOf(values), overrides: o, watch: extra.watch, maxFileBytes: extra.maxFileBytes,
    log: values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
  });
}
