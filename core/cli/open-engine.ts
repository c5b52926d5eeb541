// Opens an engine for a CLI command from the common options.
import type { Settings } from '../contract/settings.js';
import { createEngine, type Engine } from '../engine.js';
import { modelsDirOf, storeDirOf } from './args.js';

type CommonValues = { store?: string | boolean; models?: string | boolean; provider?: string | boolean; embedder?: string | boolean; 'cross-encoder'?: string | boolean; quiet?: boolean };

/** The settings the common flags override for one command (never saved). */
export function settingsFromFlags(values: CommonValues, overrides: Partial<Settings> = {}): Partial<Settings> {
  const o: Partial<Settings> = { ...overrides };
  if (typeof values.provider === 'string') o.executionProvider = values.provider as Settings['executionProvider'];
  if (typeof values.embedder === 'string') o.embedderModel = values.embedder;
  if (typeof values['cross-encoder'] === 'string') o.crossEncoderModel = values['cross-encoder'];
  return o;
}

export async function openEngine(values: CommonValues, overrides: Partial<Settings> = {}, extra: { watch?: boolean; maxFileBytes?: number } = {}): Promise<Engine> {
  return createEngine({
    storeDir: storeDirOf(values), modelsDir: modelsDirOf(values), overrides: settingsFromFlags(values, overrides), watch: extra.watch, maxFileBytes: extra.maxFileBytes,
    log: values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
  });
}
