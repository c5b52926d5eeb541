// localrag: the engine from a terminal. Commands and their --json output are a stable interface for scripts.
import type { AppError } from '../contract/api.js';
import { toAppError } from '../host/app-error.js';
import { EXIT, printJson, UsageError } from './args.js';
import { interrupted } from './interrupt.js';
import { cliAction, describeError } from './messages.js';
import { commandUsage, COMMANDS as SPECS, mainUsage } from './usage.js';
import { packageVersion } from './version.js';

const COMMANDS: Record<string, { load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  index: { load: () => import('./commands/index.js') },
  search: { load: () => import('./commands/search.js') },
  ask: { load: () => import('./commands/ask.js') },
  eval: { load: () => import('./commands/eval.js') },
  bench: { load: () => import('./commands/bench.js') },
  serve: { load: () => import('./commands/serve.js') },
  models: { load: () => import('./commands/models.js') },
  status: { load: () => import('./commands/status.js') },
  doctor: { load: () => import('./commands/doctor.js') },
};

/** --help or -h before any `--`: the command prints its usage and does nothing else (no store, no port, no models). */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** The subcommand a models/bench help is about: the first word that names one. */
function subcommandOf(name: string, argv: string[]): string | undefined {
  return argv.find((a) => SPECS[name]?.subcommands?.[a] !== undefined);
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    console.log(`localrag ${packageVersion()}`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && COMMANDS[topic]) console.log(commandUsage(topic, subcommandOf(topic, rest.slice(1))));
    else if (name) console.log(mainUsage());
    else process.stderr.write(`${mainUsage()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see \`localrag --help\`)`);
  if (wantsHelp(rest)) {
    console.log(commandUsage(name, subcommandOf(name, rest)));
    return EXIT.ok;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    if (err instanceof UsageError && !/--help/.test(err.message)) err.message += `; see \`localrag ${name} --help\``;
    throw err;
  }
}

/** --json before any `--`: a failure is also one JSON object on stdout, for scripts that read the code. */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** The error as scripts read it: a stable code, the line's message and action, and the values they name. */
function errorForScripts(err: unknown): AppError {
  if (err instanceof UsageError) return { code: 'usage-error', message: err.message };
  const e = toAppError(err);
  const action = cliAction(e);
  return { ...e, ...(action ? { action } : {}) };
}

// `localrag search ... | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); else throw err; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const e = err as Error & { appError?: { code: string; message: string; action?: string; params?: Record<string, string | number> } };
    const line = e.appError ? describeError(e.appError) : e.message;
    process.stderr.write(`localrag: ${line.split('\n')[0]}\n`);
    if (wantsJson(process.argv.slice(2))) printJson({ error: errorForScripts(err) });
    if (process.env.LOCALRAG_DEBUG || process.argv.includes('--verbose')) console.error(err);
    // Work stopped by Ctrl-C (a search, a download, an evaluation) ends like every interrupted command: 130.
    process.exitCode = err instanceof UsageError ? EXIT.usage : interrupted() ? EXIT.interrupted : EXIT.error;
  },
);
