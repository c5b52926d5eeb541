// What each command accepts, written once: the option definitions the commands parse with and the --help text.
// Closed sets of values come from the vocabulary and the settings schema, so help cannot drift from what is checked.
// This module stays light (no engine, no native modules): `--help` must print at once and touch nothing.
import type { ParseArgsConfig } from 'node:util';
import { allowedValues } from '../contract/settings.js';
import { EXECUTION_PROVIDERS, LLM_BACKENDS, MODEL_ROLES, NORMALISATIONS, RERANK_MODES } from '../contract/vocabulary.js';
import { RETRIEVAL_MODES } from '../contract/vocabulary.js';
import type { EnsureOptions } from '../models/synth/index.js';
import { PRESETS } from '../models/synth/presets.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** How the value is written in help: "<dir>", "none|bi|cross|mixlm". */
  value?: string;
  help: string;
}

export type Options = Record<string, OptionSpec>;

/** What parse() takes: specs, or plain parseArgs definitions (commands that keep their own). */
export type ParseOptions = Record<string, Pick<OptionSpec, 'type' | 'short'> & Partial<OptionSpec> & { default?: unknown }>;

export interface CommandSpec {
  /** One line for the command list. */
  summary: string;
  /** The usage lines, without "usage: localrag ". */
  usage: string[];
  about: string;
  options: Options;
  /** Commands with subcommands (models, bench) describe each. */
  subcommands?: Record<string, { usage: string; about: string; options?: Options }>;
  /** Most positional arguments accepted (undefined: any number). */
  maxPositionals?: number;
  examples?: string[];
}

const oneOf = (values: readonly string[]) => values.join('|');

/** Roles a model folder can be imported or synthesised for (LLMs come from Ollama or a GGUF file). */
export const ONNX_ROLES = MODEL_ROLES.filter((r) => r !== 'llm');
/** The model sets `models synth --preset` makes; the single-model shapes (with --role) are the synthesiser's presets. */
export const SYNTH_SETS = ['tiny', 'bench'] as const satisfies readonly EnsureOptions['preset'][];
export const SYNTH_SHAPES = Object.keys(PRESETS);
export const BENCHMARKS = ['index', 'query', 'rerank', 'responsive', 'bm25'] as const;

export const COMMON_OPTIONS = {
  store: { type: 'string', value: '<dir>', help: 'the store folder (default: the app\'s data folder)' },
  models: { type: 'string', value: '<dir>', help: 'the models folder (default: the app\'s, or LOCALRAG_MODELS)' },
  json: { type: 'boolean', help: 'print one JSON object on stdout (for scripts)' },
  provider: { type: 'string', value: oneOf(EXECUTION_PROVIDERS), help: 'where the ONNX models run' },
  embedder: { type: 'string', value: '<id|folder>', help: 'the embedding model, for this command only' },
  'cross-encoder': { type: 'string', value: '<id|folder>', help: 'the cross-encoder model, for this command only' },
  quiet: { type: 'boolean', short: 'q', help: 'no progress or notes on stderr' },
  verbose: { type: 'boolean', help: 'also print notes such as execution-provider fallbacks' },
  help: { type: 'boolean', short: 'h', help: 'show this help and exit' },
} as const satisfies Options;

export const RERANK_OPTIONS = {
  mode: { type: 'string', value: oneOf(RERANK_MODES), help: 'how candidates are reordered (default: the setting)' },
  alpha: { type: 'string', value: '<A>', help: `weight of the cross-encoder in mixlm: ${allowedValues('alpha')}` },
  'top-n': { type: 'string', value: '<N>', help: `candidates the cross-encoder scores in mixlm: ${allowedValues('topN')}` },
  'final-k': { type: 'string', value: '<k>', help: `passages kept: ${allowedValues('finalK')}` },
  k: { type: 'string', value: '<K>', help: `candidates retrieved: ${allowedValues('retrieveK')}` },
  norm: { type: 'string', value: oneOf(NORMALISATIONS), help: 'score normalisation before fusion' },
} as const satisfies Options;

/** Where candidates come from, for one command (search, ask, eval). */
export const RETRIEVAL_OPTION = {
  retrieval: { type: 'string', value: oneOf(RETRIEVAL_MODES), help: 'candidates from dense + BM25 fused, BM25 alone, or dense alone (default: the setting)' },
} as const satisfies Options;

export const COMMANDS: Record<string, CommandSpec> = {
  index: {
    summary: 'add folders and index them (incremental)',
    usage: ['index <folder...> [options]'],
    about: 'Adds the folders to the store and indexes them; every skipped file is listed with its reason.',
    options: { 'max-file-mb': { type: 'string', value: '<MB>', help: 'skip larger files (default 50)' } },
    examples: ['localrag index ~/Documents/notes'],
  },
  search: {
    summary: 'retrieve and rerank passages for a question',
    usage: ['search "<question>" [options]'],
    about: 'Retrieves candidates (dense + BM25), reranks them and prints each with its scores and the per-stage timings.',
    options: { ...RERANK_OPTIONS, ...RETRIEVAL_OPTION },
    examples: ['localrag search "shock waves" --mode mixlm --alpha 0.7 --top-n 20'],
  },
  ask: {
    summary: 'answer a question with citations from a local LLM',
    usage: ['ask "<question>" [options]'],
    about: 'Streams the answer, then its numbered sources and the per-stage timings. Exit status 3 when the LLM could ' +
      'not answer (the sources are still printed).',
    options: {
      ...RERANK_OPTIONS,
      ...RETRIEVAL_OPTION,
      llm: { type: 'string', value: oneOf(LLM_BACKENDS), help: 'the answer backend (default: the setting)' },
      model: { type: 'string', value: '<name|file.gguf>', help: 'an Ollama model name, or with --llm embedded a GGUF file' },
      host: { type: 'string', value: '<url>', help: 'the Ollama server (default: the setting, else OLLAMA_HOST, else 127.0.0.1:11434)' },
    },
    examples: ['localrag ask "why do wings stall?" --model llama3.2', 'localrag ask "..." --llm embedded --model ./model.gguf'],
  },
  eval: {
    summary: 'metrics per rerank mode on a test collection',
    usage: ['eval <collection-dir> [options]', 'eval <labelled-questions.json> [options]'],
    about: 'Indexes the collection into its own store (labelled questions use the library), scores every query once ' +
      '(cached; other models or settings rescore), and writes report.json, report.csv and a chart.',
    options: {
      ...RETRIEVAL_OPTION,
      modes: { type: 'string', value: RERANK_MODES.join(','), help: 'the modes to compare (default: all)' },
      grid: { type: 'boolean', help: 'the N x alpha grid with its Pareto frontier' },
      ns: { type: 'string', value: '<N,N,...>', help: 'cross-encoder N values for the grid, each at least 1' },
      alphas: { type: 'string', value: '<A,A,...>', help: 'alpha values for the grid' },
      k: { type: 'string', value: '<K>', help: 'candidates retrieved per query' },
      limit: { type: 'string', value: '<n>', help: 'use only the first n queries' },
      out: { type: 'string', value: '<dir>', help: 'where the report goes (default: <store>/eval)' },
      png: { type: 'boolean', help: 'also write chart.png' },
    },
  },
  bench: {
    summary: 'run a benchmark (the same as npm run bench:<name>)',
    usage: [`bench ${oneOf(BENCHMARKS)} [benchmark options]`],
    about: 'Runs the named benchmark script, which prints one BENCH_SUMMARY {json} line.',
    options: {},
    subcommands: {
      index: { usage: 'bench index', about: 'whole indexing path against the raw embedder, chunks/s and peak memory' },
      query: { usage: 'bench query', about: 'retrieval latency at 10k and 100k chunks' },
      rerank: { usage: 'bench rerank', about: 'seed, cross and mixlm rerank latency, fp32 and int8' },
      responsive: { usage: 'bench responsive', about: 'UI calls over HTTP while 2,000 files are indexed: p95 latency, engine host vs in the server' },
      bm25: { usage: 'bench bm25', about: 'BM25 query cost at 10k and 100k chunks against FTS5 alone and the first release' },
    },
  },
  serve: {
    summary: 'the app in a browser, on 127.0.0.1 only',
    usage: ['serve [--port P] [options]'],
    about: 'Serves the app and its API on 127.0.0.1 behind a random access token, and prints the URL to open. Stop it with Ctrl-C.',
    options: { port: { type: 'string', value: '<P>', help: 'the port, 0 to 65535 (default or 0: any free one)' } },
    maxPositionals: 0,
  },
  models: {
    summary: 'list, download, import or synthesise the ONNX models',
    usage: ['models [list]', 'models download <id>', `models import <folder> --role ${oneOf(ONNX_ROLES)} [--id name]`,
      `models synth [--preset ${oneOf(SYNTH_SETS)}] [--out dir]`],
    about: 'Manages the embedding and cross-encoder models in the models folder.',
    options: {
      role: { type: 'string', value: oneOf(ONNX_ROLES), help: 'import/synth: what the model is for' },
      id: { type: 'string', value: '<name>', help: 'import/synth: the name it gets in the models folder' },
      preset: { type: 'string', value: oneOf(SYNTH_SETS), help: `synth: a model set; with --role one shape: ${oneOf(SYNTH_SHAPES)}` },
      seed: { type: 'string', value: '<n>', help: 'synth: the random seed' },
      out: { type: 'string', value: '<dir>', help: 'synth: where to write (default: the models folder)' },
      hub: { type: 'string', value: '<url>', help: 'download: a Hugging Face Hub mirror for this command (default: the hubHost setting)' },
    },
    subcommands: {
      list: { usage: 'models [list]', about: 'every model the settings use: present or missing, and how to get it' },
      download: { usage: 'models download <id>', about: 'fetches a model on localrag\'s list from the hub (the only command that downloads)' },
      import: { usage: `models import <folder> --role ${oneOf(ONNX_ROLES)} [--id name]`, about: 'copies a Hugging Face ONNX folder into the models folder' },
      synth: {
        usage: `models synth [--preset ${oneOf(SYNTH_SETS)}] | --role ${oneOf(ONNX_ROLES)} --preset ${oneOf(SYNTH_SHAPES)} [--id name] [--seed n] [--out dir]`,
        about: 'writes random-weight stand-ins with the real shapes (speed is real, relevance is not): tiny for tests, bench for the default names',
      },
    },
  },
  status: {
    summary: 'folders, counts, models and LLM state',
    usage: ['status [options]'],
    about: 'What is indexed, which models are present, and whether the LLM answers.',
    options: {},
    maxPositionals: 0,
  },
  doctor: {
    summary: 'compare the vector index with SQLite vector by vector; repair',
    usage: ['doctor [--check] [options]'],
    about: 'Compares the vector index with the vectors stored in SQLite, vector by vector, and rebuilds or patches what ' +
      'differs. Exit status 1 when a problem remains.',
    options: { check: { type: 'boolean', help: 'only report; change nothing' } },
    maxPositionals: 0,
  },
};

export type CommandName = keyof typeof COMMANDS;

/** The option definitions node's parseArgs takes, from specs. */
export function parseArgsOptions(options: ParseOptions): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
}

function optionRows(options: Options): [string, string][] {
  return Object.entries(options).map(([name, o]) => [`${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`, o.help]);
}

/** Sections of options in aligned columns ("flag  what it does"); a very long flag gets its help on the next line. */
function optionSections(sections: [title: string, options: Options][]): string[] {
  const all = sections.flatMap(([, o]) => optionRows(o));
  const width = Math.min(44, Math.max(...all.map(([left]) => left.length)) + 2);
  return sections.flatMap(([title, options], i) => [
    ...(i > 0 ? [''] : []), `${title}:`,
    ...optionRows(options).map(([left, help]) => `  ${left.padEnd(width)}${left.length > width - 2 ? `\n  ${' '.repeat(width)}` : ''}${help}`),
  ]);
}

export function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    'usage: localrag <command> [options]', '',
    'commands:', ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`), '',
    ...optionSections([['common options', { ...COMMON_OPTIONS, version: { type: 'boolean', short: 'v', help: 'print the version and exit' } }]]), '',
    'Run `localrag <command> --help` for a command\'s options.',
    'Exit status: 0 ok, 1 error, 2 usage error, 3 `ask` got no answer from the LLM, 130 stopped by Ctrl-C.',
  ].join('\n');
}

/** One command's help; for models and bench, `sub` narrows it to one subcommand when it names one. */
export function commandUsage(name: string, sub?: string): string {
  // A command added without a spec still gets a usage line and the common options, never a crash.
  const c = COMMANDS[name] ?? { summary: '', usage: [`${name} [options]`], about: '', options: {} };
  const one = sub ? c.subcommands?.[sub] : undefined;
  const lines = one
    ? [`usage: localrag ${one.usage}`, '', `${one.about[0]!.toUpperCase()}${one.about.slice(1)}.`]
    : [...c.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}localrag ${u}`), '', c.about];
  if (!one && c.subcommands) {
    const width = Math.max(...Object.keys(c.subcommands).map((n) => n.length)) + 2;
    lines.push('', 'subcommands:', ...Object.entries(c.subcommands).map(([n, s]) => `  ${n.padEnd(width)}${s.about}`));
  }
  const sections: [string, Options][] = [];
  if (Object.keys(c.options).length) sections.push(['options', c.options]);
  // bench hands every option to the benchmark script.
  if (name !== 'bench') sections.push(['common options', COMMON_OPTIONS]);
  if (sections.length) lines.push('', ...optionSections(sections));
  if (c.examples?.length && !one) lines.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
