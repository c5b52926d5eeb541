// Shared CLI option parsing: every command takes the common options; a bad flag or value is a usage error (exit 2)
// that names the flag and what it allows; errors are one line on stderr.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { z } from 'zod';
import { allowedValues, SettingsSchema, type SettingKey, type Settings } from '../contract/settings.js';
import { resolveDataDirs } from '../models/paths.js';
import { COMMON_OPTIONS, parseArgsOptions, type ParseOptions } from './usage.js';

/** 130 = 128 + SIGINT, what shells report for a command stopped by Ctrl-C. */
export const EXIT = { ok: 0, error: 1, usage: 2, answerUnavailable: 3, interrupted: 130 } as const;

/** A mistake in how the command was called: exit 2, with a pointer to the command's --help. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
  }
}

/** The common options as parseArgs takes them (kept for callers that spread them into their own). */
export const commonOptions = parseArgsOptions(COMMON_OPTIONS);

type ParseError = Error & { code?: string };

/** Parsed flags: strings or booleans as each option declares; the common ones named. */
export interface CliValues {
  [flag: string]: string | boolean | undefined;
  store?: string;
  models?: string;
  json?: boolean;
  provider?: string;
  embedder?: string;
  'cross-encoder'?: string;
  quiet?: boolean;
  verbose?: boolean;
  help?: boolean;
}

/** parseArgs' own messages are long and name its internals; these say what to type instead. */
function usageErrorOf(err: ParseError, options: ParseOptions): UsageError {
  const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? '';
  const name = flag.replace(/^-+/, '');
  const spec = options[name] ?? Object.values(options).find((o) => o.short === name);
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${flag}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (spec?.type === 'boolean') return new UsageError(`${flag} takes no value`);
      if (/ambiguous/.test(err.message)) return new UsageError(`${flag} needs a value; for one that starts with "-", write ${flag}=<value>`);
      return new UsageError(`${flag} needs a value${spec?.value ? `: ${spec.value}` : ''}`);
    default:
      return new UsageError(err.message.split('\n')[0]!);
  }
}

/** Each declared option's value: a boolean flag is a boolean, any other a string. */
export type ValuesOf<O extends ParseOptions> = CliValues & { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

export function parse<O extends ParseOptions>(argv: string[], options: O, limits: { maxPositionals?: number } = {}) {
  const all = { ...COMMON_OPTIONS, ...options };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: parseArgsOptions(all), allowPositionals: true, strict: true });
  } catch (err) {
    throw usageErrorOf(err as ParseError, all);
  }
  if (limits.maxPositionals !== undefined && parsed.positionals.length > limits.maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[limits.maxPositionals]}"`);
  }
  // Values are strings or booleans as declared; the generic signature of parseArgs cannot see that through `Options`.
  return parsed as { values: ValuesOf<O>; positionals: string[] };
}

export function storeDirOf(v: { store?: string | boolean }): string {
  return resolveDataDirs({ store: typeof v.store === 'string' ? v.store : undefined }).storeDir;
}

export function modelsDirOf(v: { models?: string | boolean }): string {
  return resolveDataDirs({ models: typeof v.models === 'string' ? v.models : undefined }).modelsDir;
}

function quoted(v: unknown): string {
  return JSON.stringify(String(v));
}

/** A number flag; `range` says what it allows when that is not just "a number". */
export function num(v: unknown, name: string, check?: { ok(n: number): boolean; allowed: string }): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || (check && !check.ok(n))) throw new UsageError(`--${name} must be ${check?.allowed ?? 'a number'} (got ${quoted(v)})`);
  return n;
}

/** A flag whose value becomes a setting: checked by that setting's own rule, refused naming the flag. */
export function settingFlag<K extends SettingKey>(v: unknown, flag: string, key: K): Settings[K] | undefined {
  if (v === undefined) return undefined;
  const field = SettingsSchema.shape[key].unwrap() as z.ZodType;
  const value = field instanceof z.ZodNumber ? (typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN) : v;
  const result = field.safeParse(value);
  if (!result.success) throw new UsageError(`--${flag} must be ${allowedValues(key)} (got ${quoted(v)})`);
  return result.data as Settings[K];
}

/** A flag with a closed set of values. */
export function choice<T extends string>(v: unknown, flag: string, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(v)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got ${quoted(v)})`);
  return v as T;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
