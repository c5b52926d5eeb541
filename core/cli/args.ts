// Shared CLI option parsing: every command takes --store, --models and --json; errors are one line on stderr.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveDataDirs } from '../models/paths.js';

/** 130 = 128 + SIGINT, what shells report for a command stopped by Ctrl-C. */
export const EXIT = { ok: 0, error: 1, usage: 2, answerUnavailable: 3, interrupted: 130 } as const;

export class UsageError extends Error {}

export const commonOptions = {
  store: { type: 'string' },
  models: { type: 'string' },
  json: { type: 'boolean', default: false },
  provider: { type: 'string' },
  embedder: { type: 'string' },
  'cross-encoder': { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function storeDirOf(v: { store?: string | boolean }): string {
  return resolveDataDirs({ store: typeof v.store === 'string' ? v.store : undefined }).storeDir;
}

export function modelsDirOf(v: { models?: string | boolean }): string {
  return resolveDataDirs({ models: typeof v.models === 'string' ? v.models : undefined }).modelsDir;
}

export function num(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
