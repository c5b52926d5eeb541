// Opens an engine for a CLI command from the common options. Every flag is checked before anything is opened, so a
// bad value exits 2 without creating a store.
import { ollamaHostUrl } from '../answer/ollama-host.js';
import { DEFAULT_SETTINGS, type Settings } from '../contract/settings.js';
import type { StoreAccess } from '../contract/vocabulary.js';
import type { Engine } from '../engine.js';
import { modelsDirOf, settingFlag, storeDirOf, type CliValues } from './args.js';

/** Notes that only matter when diagnosing a setup (which execution provider was tried and why it was not used). */
const DIAGNOSTIC = /^onnx: /;

/** Engine notes on stderr: none with --quiet, diagnostics only with --verbose. */
export function cliLog(values: Pick<CliValues, 'quiet' | 'verbose'>): (line: string) => void {
  return (line) => {
    if (values.verbose || (!values.quiet && !DIAGNOSTIC.test(line))) process.stderr.write(`${line}\n`);
  };
}

/** The setting overrides the common flags ask for, each checked by its setting's rule. */
export function commonOverrides(values: CliValues): Partial<Settings> {
  const o: Partial<Settings> = {};
  const provider = settingFlag(values.provider, 'provider', 'executionProvider');
  const embedder = settingFlag(values.embedder, 'embedder', 'embedderModel');
  const crossEncoder = settingFlag(values['cross-encoder'], 'cross-encoder', 'crossEncoderModel');
  if (provider !== undefined) o.executionProvider = provider;
  if (embedder !== undefined) o.embedderModel = embedder;
  if (crossEncoder !== undefined) o.crossEncoderModel = crossEncoder;
  return o;
}

/**
 * `access` says how the command uses the store: read commands ('read') never create, migrate or change it, and a
 * missing one is a one-line error (exit 1); see STORE_ACCESS.
 */
export async function openEngine(values: CliValues, overrides: Partial<Settings> = {}, extra: { watch?: boolean; maxFileBytes?: number; access?: StoreAccess } = {}): Promise<Engine> {
  const o: Partial<Settings> = { ...overrides, ...commonOverrides(values) };
  const log = cliLog(values);
  // Loaded only now: the engine's native modules take seconds to load, which help and usage errors need not wait for.
  const { createEngine } = await import('../engine.js');
  const engine = await createEngine({
    storeDir: storeDirOf(values), modelsDir: modelsDirOf(values), overrides: o, watch: extra.watch, maxFileBytes: extra.maxFileBytes, log,
    access: extra.access,
  });
  if (o.ollamaHost === undefined) await applyOllamaHostEnv(engine, log);
  return engine;
}

/** OLLAMA_HOST, as Ollama's own tools read it, when neither a flag nor a saved setting names the server. */
export async function applyOllamaHostEnv(engine: Pick<Engine, 'getSettings' | 'overrideSettings'>, log: (line: string) => void): Promise<void> {
  const env = process.env.OLLAMA_HOST;
  if (env?.trim() && (await engine.getSettings()).ollamaHost === DEFAULT_SETTINGS.ollamaHost) {
    const url = ollamaHostUrl(env);
    if (url) await engine.overrideSettings({ ollamaHost: url });
    else log(`note: OLLAMA_HOST=${JSON.stringify(env)} is not an http(s) address; using ${DEFAULT_SETTINGS.ollamaHost}`);
  }
}
